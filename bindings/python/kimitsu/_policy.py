"""Policies, scans and their results over the C API."""
from __future__ import annotations

import collections
import os
import stat
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Tuple, Union

from ._errors import KimitsuError, PolicyError
from ._ffi import RESULT_FLAGS, SCAN_ALL_MATCHES, SCAN_EXCERPTS, SCAN_UNMASKED, check, ffi, lib, text

#: What ``scan`` accepts: text (offsets index the str) or any bytes-like object.
ScanInput = Union[str, bytes, bytearray, memoryview]
#: What ``scan_many`` accepts per item; os.PathLike items are files.
ScanItem = Union[str, bytes, bytearray, memoryview, "os.PathLike[str]", "os.PathLike[bytes]"]

#: ``scan_file`` reads a file this size or smaller whole and scans it in one
#: call; a larger file (or a pipe) is streamed through kimitsu_stream_* in
#: reads of this size, in memory bounded by the policy rather than the file.
READ_SIZE = 1 << 20

# Byte values that continue a UTF-8 sequence: deleting them from a UTF-8
# string leaves one byte per code point.
_UTF8_CONTINUATION = bytes(range(0x80, 0xC0))


@dataclass(frozen=True)
class Tier:
    """A tier of a policy. ``threshold`` is the score that puts a document
    in it; ``is_default`` marks the tier given when no other is reached."""

    id: str
    label: str
    threshold: float
    is_default: bool
    description: str = ""


@dataclass(frozen=True)
class Rule:
    """A rule of a policy: evidence for ``tier`` with base ``confidence``.
    ``entity`` is the kind of thing it finds (e.g. "CREDIT_CARD"), or None."""

    id: str
    tier: str
    entity: Optional[str]
    description: str
    confidence: float


@dataclass(frozen=True)
class Finding:
    """One match of a rule.

    ``start``/``end`` delimit the match in the scanned input: code point
    offsets into a ``str`` (``text[start:end]``), byte offsets into bytes or
    a file (``data[start:end]``), whatever the input's encoding. ``line`` is
    the 1-based line of ``start``; ``confidence`` is after placement and
    context; ``placement`` is "line", "header", "footer", "line_start" or
    "prose". ``excerpt`` is the matched text after NFKC normalization
    (masked unless ``show_matches``) when the scan asked for excerpts, else
    None. ``scored`` is False for a finding kept only because the scan asked
    for ``all_matches``: its rule fell short of its min_count and adds
    nothing to the scores.
    """

    rule: str
    tier: str
    entity: Optional[str]
    start: int
    end: int
    line: int
    confidence: float
    placement: str
    excerpt: Optional[str] = None
    scored: bool = True


@dataclass(frozen=True)
class Result:
    """The classification of one input.

    ``tier`` is the decided tier's id and ``score`` its score in [0, 1] (for
    the default tier, 1 minus the highest score of any other). ``scores``
    maps every tier id to its score, highest tier first. ``encoding`` is the
    detected (or forced) encoding; ``flags`` names every bound that was hit
    ("findings_truncated", "lossy_decode", "binary", "engine_limit",
    "input_too_large", "incomplete", "excerpts_truncated", "long_match"). ``findings`` holds at most
    ``max_findings`` findings in input order; ``total_findings`` counts them
    all. ``input_bytes`` is the size of the input in bytes.
    """

    tier: str
    score: float
    scores: Dict[str, float]
    encoding: str
    flags: FrozenSet[str]
    total_findings: int
    findings: List[Finding]
    input_bytes: int = 0


class Policy:
    """A compiled policy: immutable, shareable by any number of threads.

    Make one with :meth:`default`, :meth:`from_yaml` or :meth:`from_file`.
    The native policy is released by :meth:`close` (or ``with``), or by the
    garbage collector. Results stay valid after the policy is closed.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("use Policy.default(), Policy.from_yaml() or Policy.from_file()")

    # ---- construction ----------------------------------------------------

    @classmethod
    def _adopt(cls, out) -> "Policy":
        self = cls.__new__(cls)
        self._handle = ffi.gc(out[0], lib.kimitsu_policy_free)
        self._lock = threading.Lock()
        self._users = 0  # scans in progress: close() waits for them
        self._closing = False
        self._load_metadata()
        return self

    @classmethod
    def default(cls) -> "Policy":
        """The built-in default policy (policies/default.yaml)."""
        out = ffi.new("kimitsu_policy **")
        check(lib.kimitsu_policy_default(out), "kimitsu_policy_default")
        return cls._adopt(out)

    @classmethod
    def from_yaml(cls, source: Union[str, bytes], **limits: int) -> "Policy":
        """Compiles a policy from YAML (or JSON) text.

        Raises PolicyError, with the line, column and rule, when it does not
        compile. Keyword arguments set the compile limits and RE2 memory
        budgets of ``kimitsu_policy_options`` (prefilter_max_mem,
        rule_max_mem, max_rules, max_keywords_per_rule, max_keywords_total,
        max_pattern_bytes, max_policy_bytes, max_compiled_bytes), e.g.
        ``rule_max_mem=32 << 20``; a limit hit is a PolicyError naming it.
        """
        if isinstance(source, str):
            data = source.encode("utf-8")
        elif isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
        else:
            raise TypeError("Policy.from_yaml() expects str or bytes, not %s" % type(source).__name__)
        options = _policy_options(limits)
        out = ffi.new("kimitsu_policy **")
        error = ffi.new("kimitsu_error **")
        status = lib.kimitsu_policy_compile_v2(data, len(data), options, out, error)
        _raise_policy_error(status, error[0], "kimitsu_policy_compile_v2")
        return cls._adopt(out)

    @classmethod
    def from_file(cls, path: Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"], **limits: int) -> "Policy":
        """Reads and compiles the policy file at ``path``.

        Raises PolicyError when it does not compile, and KimitsuError (status
        KIMITSU_E_IO) when it cannot be read. Limits as for :meth:`from_yaml`.
        """
        encoded = os.fsencode(path)
        if b"\0" in encoded:
            raise ValueError("Policy.from_file(): embedded NUL in path")
        options = _policy_options(limits)
        out = ffi.new("kimitsu_policy **")
        error = ffi.new("kimitsu_error **")
        status = lib.kimitsu_policy_load_file_v2(encoded, options, out, error)
        _raise_policy_error(status, error[0], "kimitsu_policy_load_file_v2")
        return cls._adopt(out)

    def _load_metadata(self) -> None:
        handle = self._handle
        tiers = []
        info = ffi.new("kimitsu_tier_info *")
        check(lib.kimitsu_tier_info_init(info, ffi.sizeof("kimitsu_tier_info")), "kimitsu_tier_info_init")
        for i in range(lib.kimitsu_policy_tier_count(handle)):
            check(lib.kimitsu_policy_tier(handle, i, info), "kimitsu_policy_tier")
            tiers.append(
                Tier(text(info.id), text(info.label), info.threshold, bool(info.is_default), text(info.description))
            )
        rules = []
        rinfo = ffi.new("kimitsu_rule_info *")
        check(lib.kimitsu_rule_info_init(rinfo, ffi.sizeof("kimitsu_rule_info")), "kimitsu_rule_info_init")
        for i in range(lib.kimitsu_policy_rule_count(handle)):
            check(lib.kimitsu_policy_rule(handle, i, rinfo), "kimitsu_policy_rule")
            rules.append(
                Rule(text(rinfo.id), text(rinfo.tier), text(rinfo.entity) or None, text(rinfo.description),
                     rinfo.confidence)
            )
        self._tiers: Tuple[Tier, ...] = tuple(tiers)
        self._rules: Tuple[Rule, ...] = tuple(rules)
        self._tier_ids = tuple(t.id for t in tiers)

    # ---- metadata and lifetime -------------------------------------------

    @property
    def tiers(self) -> List[Tier]:
        """The tiers, highest first; the default tier is last."""
        return list(self._tiers)

    @property
    def rules(self) -> List[Rule]:
        """The rules, in policy order."""
        return list(self._rules)

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called."""
        return self._closing

    def close(self) -> None:
        """Releases the native policy. Calling it again does nothing; scans
        in progress in other threads finish first. Scanning a closed policy
        raises ValueError."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            if self._users == 0:
                self._release_handle()

    def __enter__(self) -> "Policy":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closing else "%d tiers, %d rules" % (len(self._tiers), len(self._rules))
        return "<kimitsu.Policy %s>" % state

    def _release_handle(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            ffi.release(handle)  # runs kimitsu_policy_free now, not at GC

    def _acquire(self):
        with self._lock:
            if self._closing:
                raise ValueError("scan on a closed kimitsu.Policy")
            self._users += 1
            return self._handle

    def _done(self) -> None:
        with self._lock:
            self._users -= 1
            if self._closing and self._users == 0:
                self._release_handle()

    # ---- scanning ----------------------------------------------------------

    def scan(
        self,
        data: ScanInput,
        *,
        max_findings: Optional[int] = None,
        encoding: Optional[str] = None,
        excerpts: bool = False,
        show_matches: bool = False,
        max_excerpt_bytes: Optional[int] = None,
        all_matches: bool = False,
    ) -> Result:
        """Classifies ``data``: a ``str``, or any bytes-like object (bytes,
        bytearray, memoryview, array, mmap, ...; scanned in place, not copied).

        For a ``str``, finding offsets index the str and the text is scanned
        as UTF-8; for bytes they are byte offsets and the encoding is
        detected unless ``encoding`` names it ("Shift_JIS", "EUC-JP",
        "UTF-16LE", ...). ``max_findings`` caps the findings kept (default
        1000; the score counts all). ``excerpts`` keeps a masked excerpt of
        each finding, ``show_matches`` an unmasked one, each of at most
        ``max_excerpt_bytes`` bytes (default 160; a longer one is cut and
        the flag "excerpts_truncated" set). ``all_matches`` also returns the
        findings of rules short of their min_count (one e-mail address where
        the rule needs five): every entity recognized, with
        ``Finding.scored`` False for those. The GIL is released while the
        library scans.
        """
        if isinstance(data, str):
            if encoding is not None and encoding.replace("-", "").replace("_", "").lower() != "utf8":
                raise ValueError("a str is scanned as UTF-8; encoding=%r applies to bytes only" % encoding)
            raw = data.encode("utf-8", "surrogatepass")
            args = (max_findings, "UTF-8", excerpts, show_matches, max_excerpt_bytes, all_matches)
            return self._scan_bytes(raw, args,
                                    None if data.isascii() else raw)
        return self._scan_bytes(data, (max_findings, encoding, excerpts, show_matches, max_excerpt_bytes,
                                       all_matches))

    def scan_file(
        self,
        path: Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"],
        *,
        max_findings: Optional[int] = None,
        encoding: Optional[str] = None,
        excerpts: bool = False,
        show_matches: bool = False,
        max_excerpt_bytes: Optional[int] = None,
        all_matches: bool = False,
    ) -> Result:
        """Classifies the file at ``path``; offsets are byte offsets into it.

        A file of up to 1 MiB is read and scanned in one call; a larger one
        (or a pipe) is streamed in 1 MiB reads, in bounded memory. Raises
        OSError when the file cannot be read. Options as for :meth:`scan`.
        """
        args = (max_findings, encoding, excerpts, show_matches, max_excerpt_bytes, all_matches)
        with open(path, "rb", buffering=0) as f:
            st = os.fstat(f.fileno())
            if stat.S_ISREG(st.st_mode) and st.st_size <= READ_SIZE:
                pieces = []
                size = 0
                while size <= READ_SIZE:  # read() may return less than asked
                    piece = f.read(READ_SIZE + 1 - size)
                    if not piece:
                        break
                    pieces.append(piece)
                    size += len(piece)
                data = b"".join(pieces)
                if size <= READ_SIZE:  # the file did not grow meanwhile
                    return self._scan_bytes(data, (max_findings, encoding, excerpts, show_matches, max_excerpt_bytes,
                                       all_matches))
                return self._scan_stream(f, data, (max_findings, encoding, excerpts, show_matches, max_excerpt_bytes, all_matches))
            return self._scan_stream(f, b"", (max_findings, encoding, excerpts, show_matches, max_excerpt_bytes, all_matches))

    def scan_many(
        self,
        items: Iterable[ScanItem],
        *,
        jobs: Optional[int] = None,
        max_findings: Optional[int] = None,
        encoding: Optional[str] = None,
        excerpts: bool = False,
        show_matches: bool = False,
        max_excerpt_bytes: Optional[int] = None,
        all_matches: bool = False,
        return_exceptions: bool = False,
    ) -> Iterator[Union[Result, Exception]]:
        """Classifies many inputs on ``jobs`` threads (default: the CPUs this
        process may use) and yields their results in input order.

        Each item is a ``str`` (text, not a path!), a bytes-like object, or
        an ``os.PathLike`` (e.g. pathlib.Path) naming a file to scan as with
        :meth:`scan_file`. Items are consumed lazily, a few per thread ahead.
        A failing item raises its exception from the iterator, or, with
        ``return_exceptions=True``, is yielded as the exception object in
        its place. Options as for :meth:`scan`.
        """
        options = dict(max_findings=max_findings, encoding=encoding, excerpts=excerpts, show_matches=show_matches,
                       max_excerpt_bytes=max_excerpt_bytes, all_matches=all_matches)

        def one(item: ScanItem) -> Result:
            if isinstance(item, os.PathLike):
                return self.scan_file(item, **options)
            return self.scan(item, **options)  # type: ignore[arg-type]

        jobs = _default_jobs() if jobs is None else int(jobs)
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        if jobs == 1:
            return _map_in_order_here(one, items, return_exceptions)
        return _map_in_order_threads(one, items, jobs, return_exceptions)

    # ---- the C calls -------------------------------------------------------

    def _scan_bytes(self, data, option_args, utf8_text=None) -> Result:
        options = _options(*option_args)
        out = _scratch.result
        if type(data) is bytes:  # cffi passes a bytes object's own memory
            buf = None
            size = len(data)
        else:
            try:
                buf = data = ffi.from_buffer(data)
            except TypeError:
                raise TypeError(
                    "scan() expects str or a bytes-like object, not %s" % type(data).__name__
                ) from None
            except BufferError:  # not contiguous: a copy is unavoidable
                buf = data = ffi.from_buffer(memoryview(data).tobytes())
            size = len(buf)
        try:
            handle = self._acquire()
            try:
                status = lib.kimitsu_scan(handle, data, size, options, out)
            finally:
                self._done()
        finally:
            if buf is not None:
                ffi.release(buf)  # lets a bytearray be resized again
        if status:
            check(status, "kimitsu_scan")
        return self._take_result(out[0], utf8_text)

    def _scan_stream(self, f, head: bytes, option_args) -> Result:
        options = _options(*option_args)
        out = ffi.new("kimitsu_stream **")
        handle = self._acquire()
        try:
            status = lib.kimitsu_stream_open(handle, options, out)  # the stream keeps the policy alive
        finally:
            self._done()
        check(status, "kimitsu_stream_open")
        stream = ffi.gc(out[0], lib.kimitsu_stream_free)
        try:
            if head:  # what was read before streaming was chosen
                with ffi.from_buffer(head) as buf:
                    check(lib.kimitsu_stream_write(stream, buf, len(buf)), "kimitsu_stream_write")
            chunk = bytearray(READ_SIZE)
            buf = ffi.from_buffer(chunk, require_writable=True)
            try:
                while True:
                    n = f.readinto(chunk)
                    if not n:
                        break
                    check(lib.kimitsu_stream_write(stream, buf, n), "kimitsu_stream_write")
            finally:
                ffi.release(buf)
            result = _scratch.result
            check(lib.kimitsu_stream_finish(stream, result), "kimitsu_stream_finish")
        finally:
            ffi.release(stream)
        return self._take_result(result[0])

    def _take_result(self, res, utf8_text: Optional[bytes] = None) -> Result:
        """Copies a kimitsu_result into Python objects in one go, then frees
        it. With ``utf8_text`` (the UTF-8 of a str that was scanned), byte
        offsets become code point offsets into that str."""
        try:
            return self._convert(res, utf8_text)
        finally:
            lib.kimitsu_result_free(res)

    def _convert(self, res, utf8_text: Optional[bytes]) -> Result:
        scratch = _scratch
        tier_ids = self._tier_ids
        rules = self._rules
        scores = {}
        value = scratch.value
        for i, tier_id in enumerate(tier_ids):
            check(lib.kimitsu_result_tier_score(res, i, value), "kimitsu_result_tier_score")
            scores[tier_id] = value[0]
        bits = lib.kimitsu_result_flags(res)
        flags = _flag_names(bits) if bits else _NO_FLAGS
        findings: List[Finding] = []
        count = lib.kimitsu_result_finding_count(res)
        if count:
            f = scratch.finding
            raw = []
            for i in range(count):
                check(lib.kimitsu_result_finding(res, i, f), "kimitsu_result_finding")
                excerpt = f.excerpt
                raw.append((
                    f.rule_index, f.start, f.end, f.line, f.confidence, _placement(f.placement),
                    None if excerpt == ffi.NULL else ffi.unpack(excerpt, f.excerpt_len).decode("utf-8", "replace"),
                ))
            chars = _code_point_index(utf8_text, raw) if utf8_text is not None else None
            scored: Dict[int, bool] = {}
            for rule_index, start, end, line, confidence, placement, excerpt in raw:
                if rule_index not in scored:
                    check(lib.kimitsu_result_rule(res, rule_index, ffi.NULL, value), "kimitsu_result_rule")
                    scored[rule_index] = value[0] > 0.0
                rule = rules[rule_index]
                if chars is not None:
                    # A span starting inside a character (never expected) takes
                    # the whole character, as one ending inside it already does.
                    inside = start < len(utf8_text) and 0x80 <= utf8_text[start] < 0xC0
                    start, end = chars[start] - inside, chars[end]
                findings.append(
                    Finding(rule.id, rule.tier, rule.entity, start, end, line, confidence, placement, excerpt,
                            scored[rule_index])
                )
        tier_index = lib.kimitsu_result_tier_index(res)
        return Result(
            tier=tier_ids[tier_index],
            score=lib.kimitsu_result_score(res),
            scores=scores,
            encoding=_encoding_name(lib.kimitsu_result_encoding(res)),
            flags=flags,
            total_findings=lib.kimitsu_result_total_findings(res),
            findings=findings,
            input_bytes=lib.kimitsu_result_input_bytes(res),
        )


# ---- helpers -----------------------------------------------------------------


def _raise_policy_error(status: int, error, what: str) -> None:
    """Raises for a failed compile or load, with the error object's details;
    frees the error object."""
    if status == 0:
        return
    if error == ffi.NULL:
        check(status, what)
    try:
        message = text(lib.kimitsu_error_message(error))
        line = lib.kimitsu_error_line(error) or None
        column = lib.kimitsu_error_column(error) or None
        rule = text(lib.kimitsu_error_rule(error)) or None
    finally:
        lib.kimitsu_error_free(error)
    if status == lib.KIMITSU_E_POLICY:
        raise PolicyError(message, status=status, line=line, column=column, rule=rule)
    raise KimitsuError(message, status=status)


class _Scratch(threading.local):
    """Per-thread out-parameters, made once per thread rather than per scan."""

    def __init__(self) -> None:
        self.result = ffi.new("kimitsu_result **")
        self.value = ffi.new("double *")
        self.finding = ffi.new("kimitsu_finding *")
        check(lib.kimitsu_finding_init(self.finding, ffi.sizeof("kimitsu_finding")), "kimitsu_finding_init")


_scratch = _Scratch()


_NO_FLAGS: FrozenSet[str] = frozenset()
_KNOWN_FLAGS = 0
for _bit, _ in RESULT_FLAGS:
    _KNOWN_FLAGS |= _bit


def _flag_names(bits: int) -> FrozenSet[str]:
    names = {name for bit, name in RESULT_FLAGS if bits & bit}
    if bits & ~_KNOWN_FLAGS:  # a newer library's flag: still visible
        names.add("unknown_0x%x" % (bits & ~_KNOWN_FLAGS))
    return frozenset(names)


# Placement and encoding names: a few distinct strings, decoded once each.
# (Keyed by value: the C API promises only that they live as long as the result.)
_names: Dict[bytes, str] = {}


def _placement(ptr) -> str:
    raw = ffi.string(ptr) if ptr != ffi.NULL else b""
    name = _names.get(raw)
    if name is None:
        name = _names[raw] = raw.decode("utf-8", "replace")
    return name


_encoding_name = _placement

# Scan options by (max_findings, encoding, flags, max_excerpt_bytes):
# read-only once made, so shared by every thread. Bounded: odd values past
# the bound are not kept.
_options_cache: Dict[Tuple[Optional[int], Optional[str], int, Optional[int]], object] = {}


def _positive_int(value, name: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("%s must be an int" % name)
    if value < 1:
        raise ValueError("%s must be at least 1" % name)


#: The keyword arguments of Policy.from_yaml / from_file: the fields of
#: kimitsu_policy_options (defaults in kimitsu.h and docs/RELIABILITY.md).
POLICY_LIMITS = (
    "prefilter_max_mem",
    "rule_max_mem",
    "max_rules",
    "max_keywords_per_rule",
    "max_keywords_total",
    "max_pattern_bytes",
    "max_policy_bytes",
    "max_compiled_bytes",
)


def _policy_options(limits):
    """The kimitsu_policy_options for these keyword arguments (NULL for none)."""
    if not limits:
        return ffi.NULL
    unknown = sorted(set(limits) - set(POLICY_LIMITS))
    if unknown:
        raise TypeError("unknown policy limit(s) %s; known: %s" % (", ".join(unknown), ", ".join(POLICY_LIMITS)))
    options = ffi.new("kimitsu_policy_options *")
    check(lib.kimitsu_policy_options_init(options, ffi.sizeof("kimitsu_policy_options")), "kimitsu_policy_options_init")
    for name, value in limits.items():
        _positive_int(value, name)
        if value > 2**63 - 1:
            raise ValueError("%s must be below 2**63" % name)
        setattr(options, name, value)
    return options


def _options(max_findings, encoding, excerpts, show_matches, max_excerpt_bytes=None, all_matches=False):
    """The kimitsu_scan_options for these arguments (NULL for the defaults)."""
    flags = 0
    if excerpts or show_matches:
        flags |= SCAN_EXCERPTS
    if show_matches:
        flags |= SCAN_UNMASKED
    if all_matches:
        flags |= SCAN_ALL_MATCHES
    if max_findings is None and encoding is None and not flags and max_excerpt_bytes is None:
        return ffi.NULL
    if max_findings is not None:
        _positive_int(max_findings, "max_findings")
    if max_excerpt_bytes is not None:
        _positive_int(max_excerpt_bytes, "max_excerpt_bytes")
    if encoding is not None and not isinstance(encoding, str):
        raise TypeError("encoding must be a str")
    key = (max_findings, encoding, flags, max_excerpt_bytes)
    options = _options_cache.get(key)
    if options is not None:
        return options
    options = ffi.new("kimitsu_scan_options *")
    check(lib.kimitsu_scan_options_init(options, ffi.sizeof("kimitsu_scan_options")), "kimitsu_scan_options_init")
    options.flags = flags
    if max_findings is not None:
        options.max_findings = max_findings
    if max_excerpt_bytes is not None:
        options.max_excerpt_bytes = max_excerpt_bytes
    if encoding is not None:
        name = ffi.new("char[]", encoding.encode("ascii", "replace"))
        options.encoding = name
        # The name must live as long as the options: keep it with them.
        options = ffi.gc(options, lambda _options, _name=name: None)
    if len(_options_cache) < 64:
        _options_cache[key] = options
    return options


def _code_point_index(utf8_text: bytes, raw_findings) -> Dict[int, int]:
    """Code point offsets into the str whose UTF-8 is ``utf8_text``, by the
    byte offsets of ``raw_findings`` (start and end): one pass over the text."""
    offsets = sorted({f[1] for f in raw_findings} | {f[2] for f in raw_findings})
    index = {}
    byte_pos = char_pos = 0
    for b in offsets:
        # One code point per byte that does not continue a UTF-8 sequence.
        char_pos += len(utf8_text[byte_pos:b].translate(None, _UTF8_CONTINUATION))
        index[b] = char_pos
        byte_pos = b
    return index


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _outcome(future: "Future[Result]", return_exceptions: bool):
    if return_exceptions:
        exc = future.exception()
        if exc is not None:
            return exc
    return future.result()


def _map_in_order_here(fn, items, return_exceptions):
    for item in items:
        try:
            yield fn(item)
        except Exception as e:
            if not return_exceptions:
                raise
            yield e


def _map_in_order_threads(fn, items, jobs, return_exceptions):
    window = 4 * jobs  # enough queued work to keep every thread busy
    pending: "collections.deque[Future[Result]]" = collections.deque()
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="kimitsu-scan") as pool:
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= window:
                    yield _outcome(pending.popleft(), return_exceptions)
            while pending:
                yield _outcome(pending.popleft(), return_exceptions)
        finally:
            for future in pending:  # an error, or the caller stopped early
                future.cancel()
