/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * userns-sandbox: a root-like sandbox built by an unprivileged user, the modern chroot.
 *
 *   userns-sandbox [CMD [ARGS...]]    (default: a shell script that shows the sandbox)
 *
 * The concept: an ordinary user may create a user namespace, and is then root in it: every
 * capability, over every namespace that user namespace owns. That is enough to create pid and
 * mount namespaces, mount a tmpfs, bind-mount directories, mount a fresh /proc and pivot into a
 * new root, none of which the user may do on the host. What util-linux spells
 *   unshare --map-root-user --fork --pid --mount-proc --root=DIR CMD
 * is here, step by step:
 *   1. ns_unshare(user + mount, NS_UNSHARE_MAP_ROOT): this process becomes root of a new user
 *      namespace (its uid mapped to 0) with a mount namespace of its own;
 *   2. it builds the new root in that mount namespace: a tmpfs holding bind mounts of the
 *      host's /usr (and /bin, /lib... as on the host: directories or symlinks into usr), /proc
 *      and /tmp; the host never sees these mounts;
 *   3. ns_spawn_exec() with a new pid and mount namespace, NS_SPAWN_MOUNT_PROC and .root: the
 *      command is pid 1, sees a /proc of its own namespace, and has the tmpfs as its /.
 * Started as root, it first drops to uid 65534 (nobody), to show that no privilege is needed.
 *
 * What you should see: uid 65534 outside; inside uid 0, pid 1, a uid_map "0 65534 1", a root
 * directory holding only what step 2 put there, and /proc listing pid 1 alone. When it ends,
 * its namespaces and mounts are gone and the temporary directory is removed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <libns/libns.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char show_script[] =
	"echo \"inside:  uid $(id -u), gid $(id -g), pid $$\"\n"
	"echo \"inside:  /proc/self/uid_map: $(echo $(cat /proc/self/uid_map))\"\n"
	"echo \"inside:  ls /: $(echo $(ls /))\"\n"
	"test -e /etc/passwd || echo \"inside:  no /etc, no /home: nothing of the host but /usr\"\n"
	"cd /proc && echo \"inside:  processes in /proc:\" [0-9]*\n";   /* no $(...): it would be one more */

/* Put /NAME of the host into the new root: bind-mount a directory, copy a symlink (usr-merged). */
static int add_from_host(const char *root, const char *name)
{
	char host[PATH_MAX], inside[PATH_MAX], link[PATH_MAX];
	struct stat st;
	ssize_t n;

	snprintf(host, sizeof(host), "/%s", name);
	snprintf(inside, sizeof(inside), "%s/%s", root, name);
	if (lstat(host, &st) < 0)
		return 0; /* not on this system (lib64 on 32-bit ones, say) */
	if (S_ISLNK(st.st_mode)) {
		n = readlink(host, link, sizeof(link) - 1);
		if (n < 0)
			return -1;
		link[n] = '\0';
		return symlink(link, inside);
	}
	if (mkdir(inside, 0755) < 0)
		return -1;
	/* As root of our user namespace we may bind-mount in the mount namespace it owns; the files
	 * stay the host's, and we stay uid 65534 to them: root's files remain read-only to us. */
	return mount(host, inside, NULL, MS_BIND | MS_REC, NULL);
}

/* Step 2: a tmpfs at `root` with usr, bin, sbin, lib, lib64 of the host, and empty proc and tmp. */
static int build_root(const char *root)
{
	static const char *const from_host[] = { "usr", "bin", "sbin", "lib", "lib64" };
	char path[PATH_MAX];

	if (mount("sandbox", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
		fprintf(stderr, "userns-sandbox: mount tmpfs on %s: %s\n", root, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(from_host) / sizeof(from_host[0]); i++)
		if (add_from_host(root, from_host[i]) < 0) {
			fprintf(stderr, "userns-sandbox: adding /%s: %s\n", from_host[i], strerror(errno));
			return -1;
		}
	snprintf(path, sizeof(path), "%s/proc", root);
	if (mkdir(path, 0555) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/tmp", root);
	return mkdir(path, 01777);
}

static int drop_to_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0) {
		perror("userns-sandbox: dropping to uid 65534");
		return -1;
	}
	/* A uid change makes a process non-dumpable, and its /proc/self files root's: ns_unshare()
	 * could then not write our own uid_map. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	return chdir("/");
}

int main(int argc, char **argv)
{
	char *show[] = { "sh", "-c", (char *)show_script, NULL };
	char **cmd = show, root[] = "/tmp/libns-sandbox-XXXXXX";
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	int pidfd, status = 0, r = 1;
	pid_t pid;

	if (argc > 1) {
		/* "exec "$@"": let the shell inside look the command up in the sandbox's PATH */
		cmd = calloc((size_t)argc + 4, sizeof(char *));
		if (!cmd)
			return 1;
		cmd[0] = "sh", cmd[1] = "-c", cmd[2] = "exec \"$@\"", cmd[3] = "sh";
		memcpy(cmd + 4, argv + 1, (size_t)argc * sizeof(char *));
	}
	if (geteuid() == 0 && drop_to_nobody() < 0)
		return 1;
	printf("outside: uid %d, gid %d\n", (int)getuid(), (int)getgid());
	if (!mkdtemp(root)) {
		perror("userns-sandbox: mkdtemp");
		return 1;
	}

	/* Step 1: root of a new user namespace, in a mount namespace it owns. */
	if (ns_unshare(NS_TYPE_USER | NS_TYPE_MNT, NS_UNSHARE_MAP_ROOT) < 0) {
		fprintf(stderr, "userns-sandbox: %s\n", ns_last_error());
		goto out;
	}
	printf("outside: after ns_unshare(): uid %d in a new user namespace, with a private mount namespace\n",
	       (int)getuid());

	/* Step 2. */
	if (build_root(root) < 0)
		goto out;
	printf("outside: new root %s: a tmpfs with the host's /usr bind-mounted (only in our mount namespace)\n",
	       root);

	/* Step 3: pid 1 of a new pid namespace, with its own /proc, pivoted into the new root. */
	opts.new_types = NS_TYPE_PID | NS_TYPE_MNT;
	opts.flags = NS_SPAWN_MOUNT_PROC | NS_SPAWN_DIE_WITH_PARENT;
	opts.root = root;
	fflush(stdout);
	pid = ns_spawn_exec(&opts, "/bin/sh", cmd, NULL, &pidfd);
	if (pid < 0) {
		fprintf(stderr, "userns-sandbox: %s\n", ns_last_error());
		goto out;
	}
	if (ns_wait(pidfd, &status) < 0) {
		fprintf(stderr, "userns-sandbox: %s\n", ns_last_error());
		close(pidfd);
		goto out;
	}
	close(pidfd);
	r = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("outside: the sandbox exited with status %d\n", r);
out:
	/* The mounts die with our mount namespace anyway; unmount so the directory can go now. */
	umount2(root, MNT_DETACH);
	if (rmdir(root) < 0)
		fprintf(stderr, "userns-sandbox: rmdir %s: %s\n", root, strerror(errno));
	if (cmd != show)
		free(cmd);
	return r;
}
