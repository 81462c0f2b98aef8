/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdlib.h>
#include <sys/single_threaded.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "compat.h"
#include "error-internal.h"
#include "procfs.h"

/*
 * uid_map, gid_map, setgroups and timens_offsets grant privileges, and uid_map/gid_map accept
 * exactly one write. A caller that can be tricked into writing them somewhere else hands those
 * privileges out: a bind mount over /proc/PID/uid_map (of a regular file, or of another process's
 * uid_map, which is procfs too) must not receive the map. So /proc must be procfs, and neither
 * /proc/PID nor the file may be a mount point: openat2(RESOLVE_NO_XDEV) refuses to cross one
 * (Linux 5.6); before that, the mount id in fdinfo must be the same as /proc's.
 */

int ns__proc_field(const char *path, const char *key, int *value)
{
	char line[256];
	size_t len = strlen(key), total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), r = -ENOENT;
	struct stat st;
	FILE *f;

	if (fd < 0)
		return -errno;
	/* bounded, as every file libns reads: a regular file (procfs's are), never past NS_READ_MAX */
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -EINVAL;
	else if (!(f = fdopen(fd, "r")))
		r = -errno;
	else {
		while (r == -ENOENT && total < NS_READ_MAX && fgets(line, sizeof(line), f)) {
			total += sizeof(line);
			if (strncmp(line, key, len) == 0 && line[len] == ':' &&
			    sscanf(line + len + 1, "%d", value) == 1)
				r = 0;
		}
		fclose(f);
		return r;
	}
	close(fd);
	return r;
}

int ns__thread_count(void)
{
	int n = -1;

	/* glibc knows for free when no thread was ever created; only otherwise count the live ones */
	if (__libc_single_threaded)
		return 1;
	return ns__proc_field("/proc/self/status", "Threads", &n) == 0 ? n : -1;
}

/*
 * The state letter of /proc/PID/stat ('R', 'S', 'Z', ...), or 0 when there is no such process. A zombie
 * ('Z', or 'X' while it is reaped) has dropped its namespaces, except the user namespace, which hangs off
 * its credentials and so still opens through /proc.
 */
char ns__proc_state(pid_t pid)
{
	char path[64], buf[512], *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	paren = strrchr(buf, ')');  /* the command may itself contain ')' and spaces */
	return paren && paren[1] == ' ' ? paren[2] : 0;
}

static int mnt_id_of(int fd)
{
	char path[64];
	int id = -1;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return ns__proc_field(path, "mnt_id", &id) == 0 ? id : -1;
}

/* openat() that refuses to cross a mount point; -errno. */
static int open_beneath(int dirfd, const char *name, int oflags)
{
	struct open_how how = {
		/* openat2 rejects O_NOCTTY (and most flags) together with O_PATH, unlike openat */
		.flags = (uint64_t)(oflags | O_CLOEXEC | ((oflags & O_PATH) ? 0 : O_NOCTTY)),
		.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH,
	};
	int fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
	int dir_mnt;

	if (fd >= 0)
		return fd;
	if (errno != ENOSYS)
		return -errno;
	/* Linux < 5.6. "self" is a plain symlink inside procfs, so following it stays beneath /proc. */
	fd = openat(dirfd, name, oflags | O_CLOEXEC | O_NOCTTY | (strcmp(name, "self") ? O_NOFOLLOW : 0));
	if (fd < 0)
		return -errno;
	dir_mnt = mnt_id_of(dirfd);
	if (dir_mnt < 0 || dir_mnt != mnt_id_of(fd)) {
		close(fd);
		return -EXDEV;
	}
	return fd;
}

static int refused(const char *what)
{
	return ns__fail(EXDEV, "%s: refused, something is mounted over it (it must be the kernel's own procfs "
			"file)", what);
}

int ns__open_proc_dir(pid_t pid)
{
	char name[32];
	int proc, fd;

	if (pid < 0)
		return ns__fail(EINVAL, "open /proc/%d: not a process id", (int)pid);
	proc = ns__open_proc_root(O_PATH);
	if (proc == -ENODEV)
		return ns__fail(ENODEV, "open /proc: it is not procfs (mount -t proc proc /proc)");
	if (proc < 0)
		return ns__fail(-proc, "open /proc: is procfs mounted?");
	if (pid == 0)
		snprintf(name, sizeof(name), "self");
	else
		snprintf(name, sizeof(name), "%d", (int)pid);
	fd = open_beneath(proc, name, O_PATH | O_DIRECTORY);
	close(proc);
	if (fd == -ENOENT)
		return ns__fail(ESRCH, "open /proc/%s: no such process", name);
	if (fd == -EXDEV)
		return ns__fail(EXDEV, "open /proc/%s: refused, something is mounted over it", name);
	if (fd < 0)
		return ns__fail(-fd, "open /proc/%s", name);
	return fd;
}

/* "/proc/1234" (a directory) or "/proc/1234/uid_map" (a file) for messages, from the fd itself. */
static void fd_label(int fd, const char *fallback, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	if (n <= 0)
		snprintf(buf, size, "%s", fallback);
	else
		buf[n] = '\0';
}

int ns__open_proc_file(int procdirfd, const char *name, int oflags)
{
	char label[128];
	struct statfs sfs;
	int fd = open_beneath(procdirfd, name, oflags | O_NOFOLLOW);

	if (fd >= 0 && (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)) {
		close(fd);
		fd = -EXDEV;
	}
	if (fd >= 0)
		return fd;
	fd_label(procdirfd, "/proc/PID", label, sizeof(label));
	snprintf(label + strlen(label), sizeof(label) - strlen(label), "/%s", name);
	if (fd == -EXDEV)
		return refused(label);
	if (fd == -ENOENT)
		return ns__fail(ESRCH, "open %s: the process has exited, or the kernel has no %s", label, name);
	return ns__fail(-fd, "open %s for %s", label, (oflags & O_ACCMODE) == O_RDONLY ? "reading" : "writing");
}

/* One write() on a fresh fd: the kernel parses only writes at offset 0. */
int ns__write_proc_fd(int fd, const char *buf, size_t len)
{
	char label[128];
	ssize_t n = write(fd, buf, len);
	int err = errno;

	if (n >= 0 && (size_t)n == len)
		return 0;
	fd_label(fd, "/proc/PID file", label, sizeof(label));
	if (n < 0)
		return ns__fail(err, "write %s", label);
	return ns__fail(EIO, "write %s: short write (%zd of %zu bytes)", label, n, len);
}

int ns__write_proc_at(int procdirfd, const char *name, const char *buf, size_t len)
{
	int fd = ns__open_proc_file(procdirfd, name, O_WRONLY), r;

	if (fd < 0)
		return fd;
	r = ns__write_proc_fd(fd, buf, len);
	close(fd);
	return r;
}

int ns__read_proc_at(int procdirfd, const char *name, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	if (size == 0)
		return ns__fail(EINVAL, "read %s: no room for the text", name);
	fd = ns__open_proc_file(procdirfd, name, O_RDONLY);
	if (fd < 0)
		return fd;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			char label[128];
			int err = errno;

			fd_label(fd, name, label, sizeof(label));
			close(fd);
			return ns__fail(err, "read %s", label);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (int)len;
}

int ns__write_proc(pid_t pid, const char *name, const char *buf, size_t len)
{
	int dir = ns__open_proc_dir(pid), r;

	if (dir < 0)
		return dir;
	r = ns__write_proc_at(dir, name, buf, len);
	close(dir);
	return r;
}

int ns__open_proc_root(int oflags)
{
	struct statfs sfs;
	int fd = open("/proc", oflags | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		return -ENODEV;
	}
	return fd;
}

bool ns__proc_self_trusted(void)
{
	char self[16];
	ssize_t n = readlink("/proc/self", self, sizeof(self) - 1);

	self[n > 0 ? n : 0] = '\0';
	return atoi(self) == getpid();
}

int ns__read_file(int dirfd, const char *name, char **buf, size_t *size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), err = 0;
	struct stat st;
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = EINVAL;
	while (!err) {
		if (*size - len < 2) {
			size_t nsize = *size ? *size * 2 : 4096;
			char *nbuf = realloc(*buf, nsize);

			if (!nbuf) {
				err = ENOMEM;
				break;
			}
			*buf = nbuf;
			*size = nsize;
		}
		n = read(fd, *buf + len, *size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : 0;
			break;
		}
		len += (size_t)n;
		if (len > NS_READ_MAX)
			err = EFBIG;
	}
	close(fd);
	if (err)
		return -err;
	(*buf)[len] = '\0';
	return (int)len;
}

int ns__mountinfo_foreach(int procfd, int (*fn)(char *line, void *ctx), void *ctx)
{
	char *text = NULL, *line, *next;
	size_t size = 0;
	int r = procfd >= 0 ? ns__read_file(procfd, "thread-self/mountinfo", &text, &size)
			    : ns__read_file(AT_FDCWD, "/proc/thread-self/mountinfo", &text, &size);

	if (r < 0) {
		free(text);
		return r;
	}
	r = 0;
	for (line = text; r == 0 && line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line)
			r = fn(line, ctx);
	}
	free(text);
	return r;
}
