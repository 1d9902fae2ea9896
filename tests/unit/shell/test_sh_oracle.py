"""The lab's bash and text tools against the real ones, byte for byte.

The oracle is the machine's own GNU bash 5.x (``bash -c``) with GNU coreutils/grep/sed and mawk
(Debian/Ubuntu's ``awk``), the same programs the learner's workstation models. Each case is run
by both and stdout, stderr and the exit status must be identical. Cases needing a program the
test machine lacks (or has in another flavour) are skipped, never faked.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from shellkit import Machine


def _version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


HAVE_BASH5 = shutil.which("bash") is not None and "version 5." in _version(["bash", "--version"])
HAVE_GNU = "GNU coreutils" in _version(["ls", "--version"]) and "GNU grep" in _version(
    ["grep", "--version"]) and "GNU sed" in _version(["sed", "--version"])
HAVE_MAWK = "mawk" in _version(["awk", "-W", "version"])

SHELL_CASES = [
    # syntax errors (bash parse.y: report_syntax_error), runtime messages (error.c)
    "for x in; done",
    'echo "abc',
    "foo",
    "if true; then echo",
    "if true\nthen echo",
    "echo $((1/0)); echo after",
    "echo $(( 1 + ))",
    "x=${y:?}; echo no",
    "set -u; echo $zz",
    "echo ${x!}",
    "export 1x=3",
    "return",
    "break",
    "cat <<EOF\nunterminated",
    "echo $(echo",
    "[ 1 -eq a ]; echo $?",
    "printf '%d\\n' abc; echo $?",
    "[ ; echo $?",
    # control flow
    "echo one; false; echo \"status $?\"; true && echo and || echo or",
    "for i in 1 2 3; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done",
    "i=0; until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done",
    "if false; then echo 1; elif true; then echo 2; else echo 3; fi",
    "case abc in a?c) echo one;; *) echo two;; esac; case x in y|x) echo hit;& z) echo fall;; esac",
    "v=abc; case $v in (abc) echo paren;; esac",
    "f() { local v=in; echo $v $1; }; v=out; f arg; echo $v",
    "f() { return 7; }; f; echo $?; g() { echo \"$#:$*\"; }; g 1 \"2 3\"",
    "x=1; { x=2; }; echo $x; ( x=3 ); echo $x",
    "true | false; echo $?; ! true; echo $?",
    "echo hi | ( exit 3 ); echo $?",
    "echo before; exit 3; echo after",
    "x=5; while (( x > 0 )); do (( x -= 2 )); done; echo $x",
    "for ((i=0; i<3; i++)); do echo -n $i; done; echo",
    "{ echo a; echo b; } | wc -l",
    "echo a b | while read p q; do echo \"$q $p\"; done",
    "read a b <<< \"one two three\"; echo \"$a|$b\"",
    "bash -c 'exit 42'; echo $?",
    "sh -c 'echo in sh $0 $1' zero one",
    # expansion
    "a=\"x  y\"; printf '[%s]' $a \"$a\"; echo",
    "set -- a \"b c\" d; for i in \"$@\"; do echo \"<$i>\"; done; echo \"$#\" \"$*\"",
    "x=abcdef; echo ${x:2} ${x:1:3} ${x: -2} ${#x} ${x#a*c} ${x%e*} ${x/cd/XX} ${x^^}",
    "echo {a,b}{1,2} {1..4} {a..e..2} pre{x,y}post",
    "echo $(( 7 / 2 )) $(( -7 / 2 )) $(( 7 % -3 )) $(( 2 ** 10 )) $(( 1 << 3 )) "
    "$(( 5 > 3 ? 10 : 20 )) $((0x1f)) $((010)) $((2#101))",
    "x=5; (( x += 2 )); echo $x; let \"y = x * 2\"; echo $y",
    "[[ -n \"$HOME\" && $HOME == /r* ]] && echo yes",
    "echo 'it''s' \"a\\\"b\" a\\ b $'t\\tab'",
    "cat <<EOF\nhome=$HOME $(echo sub)\nEOF\ncat <<'EOF'\nraw $HOME\nEOF",
    "IFS=:; x=\"a:b::c\"; for i in $x; do echo \"[$i]\"; done",
    "x=\"  lead trail  \"; echo [$x]; echo \"[$x]\"",
    "echo ${undefined-default} ${empty:-e} ${empty-notused}; empty=; "
    "echo [${empty-x}] [${empty:-y}]",
    "x=a; x+=b; echo $x; y=${x:+set}; echo $y",
    "echo $(( i++ )) $i $(( ++i )) $i",
    "echo \"a'b\" 'c\"d' \"\\$x \\\\ \\`\"",
    "echo ~ ~/x \"~\"",
    "echo a\\\nb",
    "echo `echo a \\`echo b\\``",
    "x=$(for i in 1 2; do echo $i; done); echo \"$x\"",
    ": ${z:=assigned}; echo $z",
    "x=hello; echo ${x:0:2} ${x::-1}",
    "echo */nothing* x?y",
    "echo \"x\" 2>&1 >/dev/null; echo err >&2",
    "echo hello > f1; echo world >> f1; cat f1; wc -l < f1; cat nofile 2>/dev/null || echo fb",
    # builtins that are commands on the table
    "printf '%5s|%-5s|%05d|%.2f|%x|%o|%c|%%\\n' ab cd 42 3.14159 255 8 xyz",
    "printf '%s\\n' a b c; printf '%d %d\\n' 1 2 3",
    "test 3 -gt 2 && echo gt; [ \"abc\" \\< \"abd\" ] && echo lt; [ -z \"\" -a -n x ] && echo both",
    "echo -e 'a\\tb\\nc'; echo -n nonl; echo",
]

TOOL_CASES = [
    "seq 5 | tail -2; seq 10 | head -n 3 | tr '\\n' ,; echo",
    "seq -w 8 11; seq -s, 5; seq 5 -1 3; seq 0.5 0.25 1.25",
    "seq 1 0 3; seq abc; sleep; sleep abc",
    "printf 'b 2\\na 10\\nc 1\\na 3\\n' | sort -k2n; printf 'b 2\\na 10\\n' | sort -k1,1 -k2nr",
    "printf 'x\\nB\\na\\nA\\n' | sort; printf 'x\\nB\\na\\nA\\n' | sort -f",
    "printf '1.5K\\n2M\\n100\\n1G\\n' | sort -h; printf 'a:3\\nb:1\\nc:2\\n' | sort -t: -k2 -n",
    "printf 'a\\na\\nb\\na\\n' | uniq -c; printf 'a\\na\\nb\\n' | uniq -d; "
    "printf 'a\\na\\nb\\n' | uniq -u",
    "printf 'one\\ttwo\\tthree\\n' | cut -f2; echo a,b,c,d | cut -d, -f2-; "
    "echo a,b,c,d | cut -d, -f1,3 --output-delimiter=' '; echo abcdef | cut -c2-4",
    "echo hello | tr -d l; echo 'a  b   c' | tr -s ' '; echo hello | tr a-y b-z; "
    "echo hello | tr '[:lower:]' '[:upper:]'",
    "printf 'foo\\nbar\\nbaz\\n' | grep -n ba; printf 'foo\\nbar\\n' | grep -v foo; "
    "printf 'Foo\\nbar\\n' | grep -i foo; printf 'abc abd\\n' | grep -o 'ab.'",
    "printf 'a1\\nb22\\nc333\\n' | grep -E '[0-9]{2,}'; printf 'a.b\\naxb\\n' | grep -F a.b; "
    "printf 'word\\nwords\\n' | grep -w word; printf 'x\\n' | grep -q x && echo found",
    "printf '1\\n2\\n3\\n4\\n5\\n6\\n' | grep -A1 -B1 4; printf 'a\\nb\\na\\n' | grep -c a; "
    "printf 'a\\n' | grep zz; echo $?; grep x /nope; echo $?",
    "echo hello world | sed 's/o/0/2'; echo aaa | sed 's/a/b/g'; printf '1\\n2\\n3\\n' | sed -n 2p;"
    " printf '1\\n2\\n3\\n' | sed 2d; printf '1\\n2\\n3\\n' | sed '$d'",
    "echo 'key=value' | sed -E 's/(\\w+)=(\\w+)/\\2=\\1/'; echo 'abc' | sed 's/\\(b\\)/[\\1]/'; "
    "echo path/to/file | sed 's|/|_|g'",
    "printf 'a\\nb\\nc\\n' | sed -n '/b/,$p'; printf 'a\\nb\\nc\\n' | sed '1!G;h;$!d'",
    "printf 'l1\\nl2\\nl3\\n' > h1; head -n 2 h1; tail -n 1 h1; head -c 4 h1; echo; "
    "tail -n +2 h1; head -n -1 h1",
    "wc -l /dev/null; printf 'a b\\nc\\n' > w1; wc w1; wc -w w1; wc -c < w1; wc -l w1 w1",
    "date -d @0; date -u -d '2020-10-12 10:00:00' '+%F %T %A %j %s'; date -d @86399 +%-H:%M",
    "echo aGVsbG8gd29ybGQK | base64 -d; printf 'hello world' | base64",
    "basename /a/b/c.yaml .yaml; dirname /a/b/c.yaml; dirname c",
    "echo 'a b' | xargs -n1 echo item; echo 'x y' | xargs echo",
    "printf 'a\\tb\\n' | cat -A; printf 'x\\n\\n\\ny\\n' | cat -s; printf 'x\\ny\\n' | cat -n",
    "mkdir d; mkdir d; touch /nonexist/x; ls /nope; rm /nope; rm d; echo $?",
    "cat /nope; head /nope; tail /nope; sort /nope; wc /nope; cut -f1 /nope; uniq /nope; "
    "sed p /nope; echo $?",
]

AWK_CASES = [
    "for i in `seq 100`;do echo -n v1;done | awk -F\"v1\" '{print NF-1}'",
    "echo 'a b c' | awk '{print $NF, $(NF-1)}'; echo 'a b c' | awk '{ $2 = \"\"; print }'; "
    "echo 'a,b' | awk -F, -v OFS=- '{$1=$1; print}'",
    "printf 'x 1\\ny 2\\nx 3\\n' | awk '$1 == \"x\" { s += $2 } END { print s+0, NR }'",
    "awk 'BEGIN { printf \"%s %d %.3f %5s|%-5s|%c\\n\", "
    "\"s\", 3.9, 2/3, \"ab\", \"cd\", \"hello\" }'",
    "awk 'BEGIN { x = \"3x\"; y = x + 1; print y; print length(\"hello\"); "
    "print substr(\"hello\", 2, 3); print index(\"hello\", \"ll\") }'",
    "awk 'BEGIN { n = split(\"a:b:c\", arr, \":\"); print n, arr[1], arr[3]; s = \"aXbXc\"; "
    "gsub(\"X\", \"-\", s); print s; print match(\"foobar\", /o+/), RSTART, RLENGTH }'",
    "awk 'BEGIN { print toupper(\"abc\") tolower(\"DEF\"); print 1e6, 1e17, 0.1 + 0.2, 100/3, "
    "int(-3.7), -7 % 3 }'",
    "printf '10\\n9\\n' | awk '$1 > 9'; printf '10\\n9\\n' | awk '$1 > \"9\"'; "
    "echo | awk '{ print (1 < 2) (2 < 1) }'",
    "printf 'a b\\nc d\\n' | awk 'NR==1, NR==2 { print NR\": \"$0 }'; "
    "printf 'l1\\nl2\\nl3\\n' | awk 'NR % 2'",
    "awk 'BEGIN { while (i < 3) { i++; if (i == 2) continue; print i }; "
    "do { j++ } while (j < 5); print j }'",
    "printf 'p1 a\\np1 b\\n\\np2 c\\n' | "
    "awk 'BEGIN { RS = \"\" } { print NR \": \" $1 \" nf=\" NF }'",
    "echo 5 | awk '{ print $1 * 2, $1 / 2, $1 \"\" 1 }'",
    "awk 'function max(a, b) { return a > b ? a : b } "
    "BEGIN { print max(3, 7), max(\"b\", \"a\") }'",
    "echo x | awk '{ a[\"k\"]; if (\"k\" in a) print \"in\"; delete a[\"k\"]; "
    "if (!(\"k\" in a)) print \"gone\" }'",
    "awk -v n=3 'BEGIN { for (i = 1; i <= n; i++) s = s i; print s }'",
    "echo 'The Quick fox' | awk '/quick/ { print \"lower\" } /Quick/ { print \"upper\" } "
    "$2 ~ /^Q/ { print \"tilde\" } $3 !~ /x$/ { print \"no\" }'",
    "printf 'a b\\n' | awk '{ print; print $0; print NF; NF = 1; print $0 }'",
    "awk 'BEGIN { printf(\"%d%%\\n\", 50) }'",
    "awk 1 /nope; echo $?",
    "awk '{'; echo rc=$?",
    "awk 'BEGIN{print 1/0, -1/0, 1 % 0, log(-1), 2^1024}'",
    "awk '{print $-1}' <<< a; echo rc=$?",
    "awk 'BEGIN { if (1) print \"a\" else print \"b\" }'; echo rc=$?",
    "echo 'a b' | awk '{ print $(NF+2) \"|\" }'",
]


def _real(script: str, cwd: Path) -> tuple[str, str, int]:
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=cwd,
                          env={"HOME": "/root", "USER": "root", "PATH": "/usr/bin:/bin",
                               "LANG": "C.UTF-8", "TZ": "UTC"}, timeout=20)
    return proc.stdout, proc.stderr, proc.returncode


def _ours(script: str) -> tuple[str, str, int]:
    machine = Machine("bash")
    ran = machine.shell.command  # bash -c, as the oracle runs it
    from k8slab.sim.process import Buffer, ExecContext, run_blocking

    out, err = Buffer(), Buffer()
    ctx = ExecContext("", out, err, {"HOME": "/root", "USER": "root", "PATH": "/usr/bin:/bin"},
                      "/root", machine.fs, machine.loop)
    code = run_blocking(machine.loop, ran(ctx, ["bash", "-c", script]))
    return out.getvalue(), err.getvalue(), code


@pytest.mark.skipif(not HAVE_BASH5, reason="needs GNU bash 5 as the oracle")
@pytest.mark.parametrize("script", SHELL_CASES)
def test_shell_matches_bash(script: str, tmp_path: Path) -> None:
    assert _ours(script) == _real(script, tmp_path)


@pytest.mark.skipif(not (HAVE_BASH5 and HAVE_GNU), reason="needs GNU bash and coreutils")
@pytest.mark.parametrize("script", TOOL_CASES)
def test_tools_match_gnu(script: str, tmp_path: Path) -> None:
    assert _ours(script) == _real(script, tmp_path)


@pytest.mark.skipif(not (HAVE_BASH5 and HAVE_MAWK), reason="needs mawk, Debian's awk")
@pytest.mark.parametrize("script", AWK_CASES)
def test_awk_matches_mawk(script: str, tmp_path: Path) -> None:
    assert _ours(script) == _real(script, tmp_path)
