#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# util-linux's conventions, for one tool:  conventions.sh PROGRAM MAN_PAGE VERSION
# -h/--help on stdout with exit 0; -V/--version "NAME from libns VERSION"; an unknown option exits 1
# with the hint to --help on stderr and nothing on stdout; every long option of --help is in the man
# page (section 1, rendering without a groff warning) and the other way round; every numeric argument
# rejects "", "12x", "abc", " 1", "-1" and overflow with exit 1, a message naming the argument, and
# nothing done.
set -u
prog=$1 man=$2 version=$3
name=$(basename "$prog")
tmp=$(mktemp -d /tmp/libns-conventions.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

for h in -h --help; do
	"$prog" $h >"$tmp/out" 2>"$tmp/err"; st=$?
	[ $st = 0 ] && [ ! -s "$tmp/err" ] && head -n 1 "$tmp/out" | grep -qx "Usage:" && grep -q "^ *-h, --help" "$tmp/out" &&
		ok "$h: usage on stdout, exit 0" || bad "$h: exit $st, stderr '$(cat "$tmp/err")'"
done
for v in -V --version; do
	out=$("$prog" $v 2>&1); st=$?
	[ $st = 0 ] && [ "$out" = "$name from libns $version" ] && ok "$v: $out" || bad "$v: exit $st, '$out'"
done
"$prog" --no-such-option >"$tmp/out" 2>"$tmp/err"; st=$?
[ $st = 1 ] && [ ! -s "$tmp/out" ] && grep -qx "Try '$name --help' for more information." "$tmp/err" &&
	ok "unknown option: exit 1, hint on stderr" || bad "unknown option: exit $st, '$(cat "$tmp/out" "$tmp/err")'"

# the man page: present, renders cleanly, and documents exactly the long options --help lists
if [ -f "$man" ]; then
	w=$(groff -man -ww -z "$man" 2>&1)
	[ -z "$w" ] && ok "man page renders" || bad "groff warns on $man: $w"
	# an option is what starts a line of --help, or the line after .TP in the page
	"$prog" --help | sed -nE 's/^ +(-[a-zA-Z], )?(--[a-z][a-z-]*).*/\2/p' | sort -u >"$tmp/help-opts"
	awk 'prev == ".TP" { print } { prev = $0 }' "$man" | sed 's/\\-/-/g; s/\\f[BIRP]//g' |
		sed -nE 's/^[^-]*(-[a-zA-Z][^-]*)?(--[a-z][a-z-]*).*/\2/p' | sort -u >"$tmp/man-opts"
	missing=$(comm -23 "$tmp/help-opts" "$tmp/man-opts" | tr '\n' ' ')
	extra=$(comm -13 "$tmp/help-opts" "$tmp/man-opts" | tr '\n' ' ')
	[ -z "$missing$extra" ] && [ -s "$tmp/help-opts" ] &&
		ok "man page and --help list the same $(wc -l <"$tmp/help-opts") long options" ||
		bad "man page lacks: '$missing'; --help lacks: '$extra'"
else
	bad "no man page $man"
fi

# malformed numbers: ARGS with @N@ replaced
number_cases() {
	case $name in
	ns-pin) echo "pin @N@ net $tmp/pin" ;;
	ns-info) echo "@N@" ;;
	ns-ls) echo "-p @N@"; echo "@N@" ;;
	ns-enter) echo "-t @N@ -n true"; echo "-t 1 -S @N@ -n true"; echo "-t 1 -G @N@ -n true" ;;
	ns-run) echo "--monotonic @N@ true"; echo "--boottime @N@ true"; echo "-S @N@ true"; echo "-G @N@ true"
		echo "--kill-child=@N@ true"; echo "--map-users=@N@:100000:1 true"; echo "--map-users=0:100000:@N@ true" ;;
	esac
}
number_cases >"$tmp/cases"
while read -r args; do
	for n in "" "12x" "abc" " 1" "-1" "99999999999999999999" "0x10"; do
		# a negative offset is one; a positional "-1" is an unknown option to getopt (exit 1 as well)
		[ "$n" = "-1" ] && case $args in --monotonic* | --boottime* | @N@*) continue ;; esac
		# shellcheck disable=SC2086
		set -- $args
		for a; do
			shift
			case $a in *@N@*) a=${a%%@N@*}$n${a#*@N@} ;; esac
			set -- "$@" "$a"
		done
		"$prog" "$@" >"$tmp/out" 2>"$tmp/err"; st=$?
		if [ $st = 1 ] && [ ! -s "$tmp/out" ] && grep -q "^$name: invalid .*: '$n'" "$tmp/err"; then
			:
		else
			bad "$name $args with @N@='$n': exit $st, '$(cat "$tmp/out" "$tmp/err")'"
		fi
		[ ! -e "$tmp/pin" ] || { bad "$name $args with @N@='$n' pinned something"; umount "$tmp/pin" 2>/dev/null; rm -f "$tmp/pin"; }
	done
done <"$tmp/cases"
[ -s "$tmp/cases" ] && ok "malformed numbers rejected: $(tr '\n' ';' <"$tmp/cases")"
echo "$fails failed"
[ "$fails" = 0 ]
