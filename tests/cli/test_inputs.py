"""What `kimitsu scan` reads: walking, symlinks, special and unreadable
files, stdin, large files, and determinism across --jobs."""
import json
import os
import pathlib
import subprocess

import pytest

from conftest import CORPUS, LEAK_SAMPLE, kimitsu


def by_path(records):
    return {r["path"]: r for r in records}


def scan_jsonl(*args, **kw):
    run = kimitsu("scan", "--format", "jsonl", *args, **kw)
    assert run.returncode == 0, run
    return run.jsonl()


def test_empty_directory_and_empty_file(tmp_path):
    (tmp_path / "empty").mkdir()
    assert scan_jsonl(str(tmp_path / "empty")) == []
    (tmp_path / "empty.txt").write_bytes(b"")
    (rec,) = scan_jsonl(str(tmp_path / "empty.txt"))
    assert rec["tier"] == "public" and rec["bytes"] == 0 and rec["error"] is None
    assert rec["findings"] == []


def test_fifo_is_reported_not_read(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file.txt").write_bytes(b"hello\n")
    # Opening a fifo for reading would block forever: the timeout proves it is not.
    recs = by_path(scan_jsonl(str(tmp_path), timeout=20))
    fifo = recs[str(tmp_path / "fifo")]
    assert fifo["tier"] is None and "not a regular file" in fifo["error"]
    assert recs[str(tmp_path / "file.txt")]["error"] is None
    # Given by name, too.
    (rec,) = scan_jsonl(str(tmp_path / "fifo"), timeout=20)
    assert "not a regular file" in rec["error"]


def test_unix_socket_is_reported(tmp_path):
    import socket
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(tmp_path / "sock"))
        (rec,) = scan_jsonl(str(tmp_path))
        assert rec["error"] == "not a regular file (socket)"
    finally:
        s.close()


def test_dangling_symlink_is_an_error_record(tmp_path):
    (tmp_path / "dangling").symlink_to("does-not-exist")
    (rec,) = scan_jsonl(str(tmp_path))
    assert rec["tier"] is None
    assert rec["error"].startswith("dangling symlink")


def test_missing_argument_is_an_error_record(tmp_path):
    run = kimitsu("scan", "--format", "jsonl", str(tmp_path / "nope"))
    assert run.returncode == 0
    (rec,) = run.jsonl()
    assert "No such file or directory" in rec["error"]
    assert "could not be scanned" in run.stderr


@pytest.mark.parametrize("follow", [False, True])
def test_symlink_loops_end(tmp_path, follow):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "doc.txt").write_bytes(b"SECRET//NOFORN\n")
    (tmp_path / "a" / "b" / "up").symlink_to("../..")
    (tmp_path / "a" / "self").symlink_to("self")
    (tmp_path / "a" / "ping").symlink_to("pong")
    (tmp_path / "a" / "pong").symlink_to("ping")
    args = ["--follow-symlinks"] if follow else []
    recs = by_path(scan_jsonl(*args, str(tmp_path), timeout=20))
    assert set(recs) == {str(tmp_path / p) for p in
                         ["a/b/doc.txt", "a/b/up", "a/self", "a/ping", "a/pong"]}
    assert recs[str(tmp_path / "a/b/doc.txt")]["error"] is None
    assert "loop" in recs[str(tmp_path / "a/self")]["error"]
    assert "loop" in recs[str(tmp_path / "a/ping")]["error"]
    up = recs[str(tmp_path / "a/b/up")]["error"]
    assert ("loop" in up) if follow else ("not followed" in up)


def test_symlink_to_a_file_inside_the_tree_is_scanned_once(tmp_path):
    (tmp_path / "real.txt").write_bytes(b"Card: 4111 1111 1111 1111\n")
    (tmp_path / "alias.txt").symlink_to("real.txt")
    recs = by_path(scan_jsonl(str(tmp_path)))
    real, alias = recs[str(tmp_path / "real.txt")], recs[str(tmp_path / "alias.txt")]
    assert "link_to" not in real
    assert alias["link_to"] == str(tmp_path / "real.txt")
    assert alias["tier"] == real["tier"] == "protected"
    assert alias["findings"] == real["findings"]
    summary = kimitsu("scan", "--format", "summary", str(tmp_path)).stdout
    assert "1 symlink shares the classification" in summary
    assert "2 files, 26 B scanned" in summary  # the bytes were read once


def test_symlinks_out_of_the_tree_need_follow(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"TOP SECRET//SI//NOFORN\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "to_file").symlink_to(outside / "secret.txt")
    (tree / "to_dir").symlink_to(outside)
    recs = by_path(scan_jsonl(str(tree)))
    assert "not followed" in recs[str(tree / "to_file")]["error"]
    assert "not followed" in recs[str(tree / "to_dir")]["error"]
    recs = by_path(scan_jsonl("--follow-symlinks", str(tree)))
    assert recs[str(tree / "to_file")]["tier"] == "designated_secret"
    assert recs[str(tree / "to_dir/secret.txt")]["tier"] == "designated_secret"


def unprivileged_prefix():
    """A command prefix that runs kimitsu where chmod 000 denies reads: none
    for a normal user; as root (where it does not), setpriv to nobody if
    that user can run the binary. None when neither works."""
    import shutil
    from conftest import KIMITSU_BIN
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(prefix + [KIMITSU_BIN, "--version"], capture_output=True)
    return prefix if probe.returncode == 0 else None


def test_unreadable_file_and_directory():
    import tempfile
    from conftest import KIMITSU_BIN
    prefix = unprivileged_prefix()
    if prefix is None:
        pytest.skip("running as root, where chmod 000 does not deny reads, and cannot drop to "
                    "nobody with setpriv (dangling symlinks and fifos still cover unreadable inputs)")
    root = pathlib.Path(tempfile.mkdtemp(prefix="kimitsu-unreadable-"))
    try:
        root.chmod(0o755)  # traversable by nobody
        (root / "locked.txt").write_bytes(b"x")
        (root / "locked.txt").chmod(0)
        (root / "closed").mkdir()
        (root / "closed" / "inside.txt").write_bytes(b"x")
        (root / "closed").chmod(0)
        (root / "fine.txt").write_bytes(b"hello\n")
        (root / "fine.txt").chmod(0o644)
        proc = subprocess.run(prefix + [KIMITSU_BIN, "scan", "--format", "jsonl", str(root)],
                              capture_output=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        recs = by_path(json.loads(l) for l in proc.stdout.decode().splitlines())
        assert recs[str(root / "locked.txt")]["error"] == "cannot open: Permission denied"
        assert recs[str(root / "closed")]["error"] == "cannot read directory: Permission denied"
        assert recs[str(root / "fine.txt")]["error"] is None
        assert b"2 of 3 files could not be scanned" in proc.stderr
    finally:
        (root / "closed").chmod(0o755)
        import shutil
        shutil.rmtree(root, ignore_errors=True)


def test_stdin(card_tree):
    data = (card_tree / "sub" / "cards.txt").read_bytes()
    (rec,) = scan_jsonl("-", stdin=data)
    (ref,) = scan_jsonl(str(card_tree / "sub" / "cards.txt"))
    assert rec["path"] == "-"
    for key in ("tier", "score", "scores", "bytes", "encoding", "findings"):
        assert rec[key] == ref[key]


def test_large_file_streams_with_right_offsets(tmp_path):
    head = b"Card: 4111 1111 1111 1111\n"
    filler = (b"The quarterly newsletter talks about lunch and the weather.\n" * 200_000)
    tail = b"TOP SECRET//SI//NOFORN\n"
    data = head + filler + tail
    assert len(data) > 8 << 20
    (tmp_path / "big.txt").write_bytes(data)
    (rec,) = scan_jsonl("--show-matches", str(tmp_path / "big.txt"))
    assert rec["bytes"] == len(data)
    assert rec["tier"] == "designated_secret"
    spans = {data[f["start"]:f["end"]] for f in rec["findings"]}
    assert b"4111 1111 1111 1111" in spans
    last = rec["findings"][-1]
    assert data[last["start"]:last["end"]].startswith(b"TOP SECRET")
    assert last["line"] == data.count(b"\n")
    # The same bytes on stdin take the same path past 8 MiB.
    (srec,) = scan_jsonl("-", stdin=data)
    assert srec["findings"] == [dict(f, excerpt=f2["excerpt"]) for f, f2 in
                                zip(rec["findings"], srec["findings"])]


def test_jobs_do_not_change_the_output(tmp_path):
    for fmt in ("jsonl", "csv", "sarif"):
        outs = []
        for jobs in ("1", "2", "7"):
            run = kimitsu("scan", "--format", fmt, "--jobs", jobs, str(LEAK_SAMPLE), str(CORPUS))
            assert run.returncode == 0
            outs.append(run.stdout_bytes)
        assert outs[0] == outs[1] == outs[2], fmt


def test_min_tier(leak_jsonl):
    recs = scan_jsonl("--min-tier", "protected", str(LEAK_SAMPLE))
    assert {r["tier"] for r in recs} == {"designated_secret", "protected"}
    assert len(recs) == len([r for r in leak_jsonl if r["tier"] in ("designated_secret", "protected")])
    summary = kimitsu("scan", "--format", "summary", "--min-tier", "designated_secret", str(LEAK_SAMPLE)).stdout
    public = sum(1 for r in leak_jsonl if r["tier"] == "public")
    assert f"public {public}".split() == [w for w in summary.split("\n") if w.strip().startswith("public")][0].split()[:2]
    assert "protected — " not in summary and "designated_secret — " in summary


def test_min_tier_keeps_error_records(tmp_path):
    (tmp_path / "dangling").symlink_to("nowhere")
    (tmp_path / "plain.txt").write_bytes(b"hello\n")
    recs = scan_jsonl("--min-tier", "designated_secret", str(tmp_path))
    assert [r["path"] for r in recs] == [str(tmp_path / "dangling")]


def test_output_file_inside_the_tree_is_not_scanned(card_tree):
    out = card_tree / "report.jsonl"
    run = kimitsu("scan", "--format", "jsonl", "--output", str(out), str(card_tree))
    assert run.returncode == 0 and run.stdout == ""
    recs = by_path(json.loads(line) for line in out.read_text().splitlines())
    assert "report being written" in recs[str(out)]["error"]
    assert recs[str(card_tree / "sub" / "cards.txt")]["tier"] == "protected"


def test_output_defaults_to_jsonl_when_not_a_terminal(card_tree, tmp_path):
    out = tmp_path / "out"
    kimitsu("scan", "-o", str(out), str(card_tree / "note.txt"))
    assert json.loads(out.read_text())["tier"] == "public"


def run_on_pty(args, env_extra=None, stdout_pty=True, stderr_pty=False):
    """Runs kimitsu with stdout and/or stderr on a pseudo-terminal; returns
    the exit status, what the terminal received and the piped stderr."""
    import pty
    from conftest import KIMITSU_BIN
    master, slave = pty.openpty()
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    proc = subprocess.Popen([KIMITSU_BIN, *args], stdout=slave if stdout_pty else subprocess.DEVNULL,
                            stderr=slave if stderr_pty else subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:  # EIO once the child has closed the terminal
            break
        if not b:
            break
        chunks.append(b)
    proc.wait(timeout=60)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_summary_is_the_default_on_a_terminal_with_colour(card_tree):
    rc, out = run_on_pty(["scan", str(card_tree)])
    assert rc == 0
    assert "TIER" in out and "\x1b[" in out
    rc, out = run_on_pty(["scan", str(card_tree)], {"NO_COLOR": "1"})
    assert "TIER" in out and "\x1b[" not in out


def test_progress_line_on_a_terminal_is_cleared(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for i in range(300):
        (tree / f"f{i:03}.txt").write_bytes(b"Quarterly notes, nothing sensitive. " * 3000)
    report = tmp_path / "report.jsonl"
    rc, err = run_on_pty(["scan", "--format", "jsonl", "--jobs", "1", "-o", str(report), str(tree)],
                         stdout_pty=False, stderr_pty=True)
    assert rc == 0
    assert len(report.read_text().splitlines()) == 300
    if "files" in err:  # drawn only if the scan outlasts its first 100 ms
        assert "MB/s" in err and "ETA" in err
        assert err.endswith("\r\x1b[K")  # cleared at the end
    # Piped stderr: no progress at all.
    run = kimitsu("scan", "--format", "jsonl", "--jobs", "1", "-o", str(report), str(tree))
    assert run.stderr == ""


def test_overlapping_paths_list_each_file_once(card_tree):
    once = scan_jsonl(str(card_tree))
    for args in ([str(card_tree), str(card_tree)], [str(card_tree / "sub"), str(card_tree)],
                 [str(card_tree), str(card_tree / "sub" / "cards.txt")]):
        run = kimitsu("scan", "--format", "jsonl", *args)
        assert run.returncode == 0
        assert run.jsonl() == once, args
