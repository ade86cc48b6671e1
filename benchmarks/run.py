"""l10n beside the tools people would otherwise use: one run, one corpus, one table.

    .venv/bin/python benchmarks/run.py                    # 1,000 and 10,000 pages
    .venv/bin/python benchmarks/run.py --pages 1000       # one size
    .venv/bin/python benchmarks/run.py --quick            # a tiny corpus (what the tests run)
    .venv/bin/python benchmarks/run.py --stages update,compile

Every tool runs as a subprocess on the same input in the same run: l10n
through its real command line (``python -m l10n.cli ...``), the peers through
theirs (html2po, po2html, pofilter from Translate Toolkit; GNU msgmerge and
msgfmt; pybabel). Each run is timed with ``time.perf_counter`` around the
child, and its memory measured two ways: ``ru_maxrss`` of the child from
``os.wait4`` (the largest single process, what /usr/bin/time reports) and the
peak of the summed PSS of the child and all its descendants, sampled every
20 ms from /proc (what a process pool really costs; PSS counts the pages a
forked worker shares with its parent once, where summing RSS would count them
once per process).

Stages:

* extract  — pages -> templates, cold (no skeleton cache): l10n extract vs html2po -P
* render   — templates' translations -> pages in every target locale: l10n render
             (skeletons cached by extract; site/ and the render manifest emptied)
             vs po2html, one run per locale
* build    — l10n build on the whole site: first, again with nothing changed (no-op),
             and after one page changed
* update   — a 20k-entry catalog with 2k msgids edited: l10n update vs msgmerge
             --previous and pybabel update --previous; agreement of fuzzy choices
* compile  — 20k and 40k entries: l10n compile vs msgfmt and pybabel compile
* check    — 20k entries against the real glossary, 1k and 10k concepts: l10n check
             vs pofilter (its default checks)
* tm       — translation memory: a 200k-unit memory (the update corpus's translated catalog,
             written as TMX) imported with l10n tm import, then l10n update pre-translating
             2k new entries (edited msgids) from it, beside l10n update --no-tm

The figures go to ``benchmarks/results/latest.json`` (``--out``) with the
machine's cores and memory, Python and every tool's version.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import corpus  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
PAGE_STAGES = ("extract", "render", "build")
HELD_OK = (0, 3)            # l10n compile/build: 3 = built, with translations held back by the check gate
CATALOG_STAGES = ("update", "compile", "check", "tm")
DOSING_RULES = "GL013,GL014,GL015,GL016,GL017"     # timed with and without in the check stage
ALL_STAGES = PAGE_STAGES + CATALOG_STAGES


# -- running one tool ------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out.extend(int(x) for x in f.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    """The process's proportional set size (PSS): memory it shares with its forked workers
    counts once across the tree, not once per process as RSS would."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for ln in f:
                if ln.startswith("Pss:"):
                    return int(ln.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, IndexError, ValueError):
        return 0


def _tree_rss_kb(pid: int) -> int:
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_kb(p)
        todo.extend(_children(p))
    return total


@dataclass
class Run:
    cmd: list[str]
    wall: float
    rc: int
    maxrss_mb: float          # largest single process (ru_maxrss)
    tree_peak_mb: float       # peak of the summed RSS of the process tree (sampled)
    timed_out: bool = False
    cpu_user: float = 0.0     # CPU seconds of the child and the workers it waited for (wait4's rusage)
    cpu_sys: float = 0.0      # of which in the kernel (file system work: creating files, renames)
    stdout: str = field(default="", repr=False)
    stderr: str = field(default="", repr=False)

    def as_json(self) -> dict:
        return {"cmd": " ".join(_short_cmd(self.cmd)), "wall_s": round(self.wall, 4), "rc": self.rc,
                "maxrss_mb": round(self.maxrss_mb, 1), "tree_peak_mb": round(self.tree_peak_mb, 1),
                "timed_out": self.timed_out, "cpu_user_s": round(self.cpu_user, 3),
                "cpu_sys_s": round(self.cpu_sys, 3)}


def _short_cmd(cmd: list[str]) -> list[str]:
    out = []
    for c in cmd:
        c = str(c)
        if c == PY:
            c = "python"
        elif c.startswith(str(BIN) + "/"):
            c = c[len(str(BIN)) + 1:]
        out.append(c)
    return out


def run(cmd: list, *, cwd: Path | None = None, timeout: float | None = None, ok=(0,),
        env: dict | None = None) -> Run:
    """Run ``cmd``; wall time, exit code and memory. Raises on an unexpected exit code."""
    cmd = [str(c) for c in cmd]
    e = dict(os.environ)
    e.setdefault("PYTHONHASHSEED", "0")
    e["PYTHONDONTWRITEBYTECODE"] = "1"
    if env:
        e.update(env)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e,
                         start_new_session=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(p.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    outs: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:
        outs[name] = stream.read()

    readers = [threading.Thread(target=drain, args=("out", p.stdout), daemon=True),
               threading.Thread(target=drain, args=("err", p.stderr), daemon=True)]
    for r in readers:
        r.start()
    timed_out = False
    deadline = None if timeout is None else t0 + timeout
    status = rusage = None
    while True:
        pid, status, rusage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            timed_out = True
            try:
                os.killpg(p.pid, 9)
            except ProcessLookupError:
                pass
            pid, status, rusage = os.wait4(p.pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    for r in readers:
        r.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    res = Run(cmd, wall, p.returncode, rusage.ru_maxrss / 1024, peak[0] / 1024, timed_out,
              rusage.ru_utime, rusage.ru_stime,
              outs.get("out", b"").decode("utf-8", "replace"), outs.get("err", b"").decode("utf-8", "replace"))
    if not timed_out and p.returncode not in ok:
        raise RuntimeError(f"{' '.join(_short_cmd(cmd))} exited {p.returncode}:\n{res.stderr[-3000:]}"
                           f"\n{res.stdout[-1000:]}")
    return res


def l10n(*args, cwd: Path | None = None, ok=(0,), timeout: float | None = None) -> Run:
    return run([PY, "-m", "l10n.cli", *args], cwd=cwd, ok=ok, timeout=timeout)


def tool(name: str) -> str:
    p = BIN / name
    if p.exists():
        return str(p)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed (make bench installs the peers)")
    return found


# -- helpers ------------------------------------------------------------------------------

# Where the page stages put what they would delete before a timed run; emptied once every stage
# has run. On a journal-less ext4 (this machine's disk: "mounted filesystem ... without journal"),
# the kernel will not reuse an inode freed less than a minute ago (five more while its inode-table
# block is dirty): each new file then walks past every such inode of its block group
# (ext4_create -> recently_deleted). Deleting 30,000 site files just before a render made every
# file the render created pay for that walk: perf gave ext4_create -> recently_deleted 35% of a
# 1,000-page render's samples, and a 10,000-page render took 17 s of system time after the delete
# against 5 s after a rename. A rename frees no inode; the same holds for the peers' outputs.
TRASH: Path | None = None


def set_aside(path: Path) -> None:
    """Move ``path`` (if there) into the trash folder, to be deleted after the timed runs; deleted
    at once when there is no trash folder (a stage run on its own)."""
    if not path.exists() and not path.is_symlink():
        return
    if TRASH is None:
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        return
    TRASH.mkdir(parents=True, exist_ok=True)
    os.rename(path, tempfile.mkdtemp(prefix=path.name + "-", dir=TRASH) + "/x")


def empty_trash() -> None:
    if TRASH is not None:
        shutil.rmtree(TRASH, ignore_errors=True)


def copytree(src: Path, dst: Path) -> None:
    set_aside(dst)
    subprocess.run(["cp", "-a", str(src), str(dst)], check=True)


def ensure_site(work: Path, pages: int, seed: int, terms: int) -> Path:
    """The pristine corpus of ``pages`` pages (generated once, reused while it matches)."""
    d = work / f"site-{pages}-s{seed}-t{terms}"
    info = d / "corpus.json"
    gen = corpus.__file__
    stamp = f"{os.path.getmtime(gen):.0f}"
    if info.is_file():
        try:
            meta = json.loads(info.read_text())
            if meta.get("generator") == stamp:
                return d
        except ValueError:
            pass
    t = time.perf_counter()
    meta = corpus.make_site(d, pages, seed=seed, terms=terms)
    meta["generator"] = stamp
    info.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"  generated {pages} pages in {time.perf_counter() - t:.1f} s "
          f"({meta['mean_page_bytes']} bytes a page)", file=sys.stderr)
    return d


def ensure_big(work: Path, entries: int, edited: int, seed: int, terms: int) -> Path:
    d = work / f"big-{entries}-e{edited}-s{seed}"
    stamp = f"{os.path.getmtime(corpus.__file__):.0f}"
    meta_f = d / "meta.json"
    if meta_f.is_file() and json.loads(meta_f.read_text()).get("generator") == stamp:
        return d
    if d.exists():
        shutil.rmtree(d)
    meta = corpus.make_big(d, entries, edited=edited, seed=seed, terms=terms)
    meta["generator"] = stamp
    meta_f.write_text(json.dumps(meta) + "\n")
    return d


def ensure_glossary(work: Path, terms: int, seed: int) -> Path:
    p = work / f"glossary-{terms}-s{seed}.toml"
    stamp = f"{os.path.getmtime(corpus.__file__):.0f}"
    st = p.with_suffix(".stamp")
    if p.is_file() and st.is_file() and st.read_text() == stamp:
        return p
    corpus.make_glossary(p, terms, seed=seed)
    st.write_text(stamp)
    return p


def catalog_project(d: Path, src: Path, *, pot: Path | None = None, source: str = "en",
                    target: str = "zh_TW", gate: str | None = None) -> Path:
    """A project holding one big catalog (and its template); ``gate``: its check gate setting."""
    if d.exists():
        shutil.rmtree(d)
    (d / "locales" / target / "LC_MESSAGES").mkdir(parents=True)
    (d / "source_pages").mkdir()
    (d / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_dir = "source_pages"\nlocales_dir = "locales"\noutput_dir = "site"\n'
        f'threshold = 80\n\n[tool.l10n.targets]\n{source} = ["{target}"]\n'
        + (f'\n[tool.l10n.check]\ngate = "{gate}"\n' if gate else ""))
    shutil.copy(src, d / "locales" / target / "LC_MESSAGES" / "big.po")
    if pot is not None:
        (d / "locales" / "templates").mkdir(parents=True)
        shutil.copy(pot, d / "locales" / "templates" / "big.pot")
    return d


def versions() -> dict:
    out = {"python": platform.python_version()}
    try:
        from importlib.metadata import version
        for pkg in ("l10n", "translate-toolkit", "babel", "polib", "beautifulsoup4", "lxml", "rapidfuzz",
                    "ahocorasick-rs"):
            try:
                out[pkg] = version(pkg)
            except Exception:  # noqa: BLE001
                out[pkg] = None
    except ImportError:
        pass
    for name in ("msgmerge", "msgfmt"):
        try:
            first = subprocess.run([tool(name), "--version"], capture_output=True, text=True).stdout
            out[name] = first.splitlines()[0] if first else None
        except Exception:  # noqa: BLE001
            out[name] = None
    return out


def machine() -> dict:
    mem = None
    try:
        with open("/proc/meminfo") as f:
            for ln in f:
                if ln.startswith("MemTotal:"):
                    mem = round(int(ln.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    cpu = None
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    cpu = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)), "memory_gb": mem,
            "cpu": cpu, "platform": platform.platform(), "load_average_at_start": _loadavg()}


def _loadavg() -> list[float] | None:
    """Other work on the machine skews every figure: recorded at the start and the end."""
    try:
        with open("/proc/loadavg") as f:
            return [float(x) for x in f.read().split()[:3]]
    except (OSError, ValueError):
        return None


def count_files(root: Path, suffix: str) -> int:
    return sum(1 for _ in root.rglob(f"*{suffix}")) if root.is_dir() else 0


# -- page stages ---------------------------------------------------------------------------

def stage_extract(proj: Path, tt: Path, pages: int) -> dict:
    set_aside(proj / ".l10n-cache")
    set_aside(proj / "locales" / "templates")
    me = l10n("extract", "-p", proj)
    n = count_files(proj / "locales" / "templates", ".pot")
    set_aside(tt / "pot")
    (tt / "pot").mkdir(parents=True)
    peer = run([tool("html2po"), "-P", "--progress=none", "-i", proj / "source_pages", "-o", tt / "pot"])
    npeer = count_files(tt / "pot", ".pot")
    res = {
        "pages": pages,
        "l10n": {**me.as_json(), "templates": n, "rate": pages / me.wall, "unit": "pages/s"},
        "html2po": {**peer.as_json(), "templates": npeer, "rate": pages / peer.wall, "unit": "pages/s"},
    }
    res["ratio"] = res["l10n"]["rate"] / res["html2po"]["rate"]
    # the same run with the skeleton cache warm (pages unchanged since the last extract)
    set_aside(proj / "locales" / "templates")
    warm = l10n("extract", "-p", proj)
    res["l10n_warm_cache"] = {**warm.as_json(), "rate": pages / warm.wall, "unit": "pages/s"}
    # what the walker's parse costs either way (html5lib for the pages libxml2 repairs)
    from parsers import parse_costs
    res["parse"] = parse_costs(proj / "source_pages")
    return res


def _identity_po(pot_text: str) -> str:
    """A template with every msgstr set to its msgid (text only: no plural forms in html2po's output)."""
    blocks = pot_text.split("\n\n")
    out = [blocks[0]]                                  # the header stays as it is
    for block in blocks[1:]:
        lines = block.split("\n")
        try:
            i = next(k for k, ln in enumerate(lines) if ln.startswith("msgid "))
            j = next(k for k, ln in enumerate(lines) if ln.startswith("msgstr "))
        except StopIteration:
            out.append(block)
            continue
        msgid = lines[i:j]
        msgstr = ["msgstr " + msgid[0][len("msgid "):]] + msgid[1:]
        out.append("\n".join(lines[:j] + msgstr + lines[j + 1:]))
    return "\n\n".join(out)


def _tt_catalogs(proj: Path, tt: Path) -> dict[str, int]:
    """Translate Toolkit catalogs for po2html: html2po's units, msgstr = msgid, one folder per locale."""
    src_locale = {}
    for page in (proj / "source_pages").rglob("*.html"):
        head = page.read_bytes()[:200].decode("utf-8", "replace")
        m = re.search(r'<html lang="([^"]+)"', head)
        src_locale[page.relative_to(proj / "source_pages").with_suffix("").as_posix()] = \
            "en" if m and m.group(1) == "en" else "zh_TW"
    counts: dict[str, int] = {}
    set_aside(tt / "po")
    for pot in sorted((tt / "pot").rglob("*.pot")):
        rel = pot.relative_to(tt / "pot").with_suffix("").as_posix()
        text = _identity_po(pot.read_text("utf-8"))
        for loc in corpus.TARGETS[src_locale[rel]]:
            out = tt / "po" / loc / f"{rel}.po"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, "utf-8")
            counts[loc] = counts.get(loc, 0) + 1
    return counts


def stage_render(proj: Path, tt: Path, pages: int) -> dict:
    # the check gate runs, as in real use (exit 3 would mean it held translations back; the site
    # corpus plants no errors, so it holds none back)
    prep = l10n("compile", "-p", proj, ok=HELD_OK)
    set_aside(proj / "site")
    for p in (proj / ".l10n-cache").glob("render*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    for p in (proj / ".l10n-cache").glob("build*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    settle()
    me = l10n("render", "-p", proj)
    m = re.search(r"(\d+) pages published", me.stdout)
    outputs = int(m.group(1)) if m else 0
    res = {"pages": pages, "page_locales": outputs,
           "l10n_compile_before": {**prep.as_json()},
           "l10n": {**me.as_json(), "rate": outputs / me.wall, "unit": "page-locales/s"},
           "po2html": {}}
    if not (tt / "pot").is_dir():
        (tt / "pot").mkdir(parents=True)
        run([tool("html2po"), "-P", "--progress=none", "-i", proj / "source_pages", "-o", tt / "pot"])
    counts = _tt_catalogs(proj, tt)
    ratios = {}
    for loc in sorted(counts):
        out = tt / "out" / loc
        set_aside(out)
        out.mkdir(parents=True)
        settle()
        r = run([tool("po2html"), "--progress=none", "-t", proj / "source_pages", "-i", tt / "po" / loc,
                 "-o", out])
        res["po2html"][loc] = {**r.as_json(), "pages": counts[loc], "rate": counts[loc] / r.wall,
                               "unit": "pages/s"}
        ratios[loc] = res["l10n"]["rate"] / res["po2html"][loc]["rate"]
    res["ratio_per_locale"] = ratios
    res["ratio"] = min(ratios.values()) if ratios else None
    return res


def settle() -> None:
    """Let the kernel write back what the last step left (untimed) before the next timed one. A full
    build or render leaves ~2 GB of new files, and a site folder emptied leaves 30,000 deletions to
    discard: timed while the kernel writes them, a 0.3 s build measured the writeback (the speed
    probe right after the build stage showed one core 1.85x slower in the run of session 9). A user's
    next edit comes long after that writeback is done."""
    os.sync()


def _touch_one_page(proj: Path, k: int = 0) -> str:
    """Edit one paragraph of one page (the ``k``-th of a spread of pages), as an author would."""
    pages = sorted((proj / "source_pages").rglob("*.html"))
    page = pages[(len(pages) // 2 + 997 * k) % len(pages)]
    text = page.read_text("utf-8")
    m = re.search(r"<p>([^<]{20,})</p>", text)
    if m is None:
        raise RuntimeError(f"no paragraph to edit in {page}")
    body = m.group(1)
    new = body + (" The answer was reviewed again this week." if "<html lang=\"en\"" in text
                  else "本回覆已於本週再次審閱。")
    page.write_text(text[:m.start(1)] + new + text[m.end(1):], "utf-8")
    return page.relative_to(proj).as_posix()


def stage_build(proj: Path, pages: int) -> dict:
    """The build as a user runs it, the check gate included (the site corpus plants no errors: nothing held back)."""
    settle()
    first = l10n("build", "-p", proj, ok=HELD_OK)
    settle()
    noop = l10n("build", "-p", proj, ok=HELD_OK)
    noop2 = l10n("build", "-p", proj, ok=HELD_OK)
    changed = _touch_one_page(proj)
    settle()
    one = l10n("build", "-p", proj, ok=HELD_OK)
    after = l10n("build", "-p", proj, ok=HELD_OK)
    # four more authors' edits, each to another page: a shared 2-core machine varies by 1.5x from one
    # second to the next, so the target is judged on the median of the five, all five shown
    more = []
    for k in range(1, 5):
        _touch_one_page(proj, k)
        settle()
        more.append(l10n("build", "-p", proj, ok=HELD_OK).as_json())
    walls = [one.wall] + [m["wall_s"] for m in more]
    site = proj / "site"
    # translations the check gate held back: none expected (the corpus plants no errors), so any
    # is a false alarm of a rule, as the 13,591 of GL014 and GL003 the 10k corpus once showed
    held = sum(ln.startswith("HELD BACK:") for ln in (first.stdout + first.stderr).splitlines())
    return {"pages": pages, "first": {**first.as_json(), "held_back_units": held}, "noop": noop.as_json(),
            "noop_again": noop2.as_json(),
            "one_page_changed": {**one.as_json(), "page": changed}, "noop_after_change": after.as_json(),
            "one_page_more": more, "one_page_walls": walls, "one_page_median_s": sorted(walls)[len(walls) // 2],
            "site_files": sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0}


# -- catalog stages ------------------------------------------------------------------------

def _choices(po_path: Path, msgids: list[str]) -> dict[str, str | None]:
    import polib
    po = polib.pofile(str(po_path))
    by = {e.msgid: e for e in po if not e.obsolete}
    out = {}
    for m in msgids:
        e = by.get(m)
        out[m] = e.previous_msgid if e is not None and "fuzzy" in e.flags and e.previous_msgid else None
    return out


def stage_update(work: Path, entries: int, edited: int, seed: int, terms: int, cap: float) -> dict:
    big = ensure_big(work, entries, edited, seed, terms)
    edits = json.loads((big / "edits.json").read_text())
    proj = catalog_project(work / "run-update", big / "old.po", pot=big / "new.pot")
    me = l10n("update", "-p", proj, "-l", "zh_TW")
    out_l10n = proj / "locales" / "zh_TW" / "LC_MESSAGES" / "big.po"
    mm_out = work / "run-update" / "msgmerge.po"
    mm = run([tool("msgmerge"), "--previous", "-q", "-o", mm_out, big / "old.po", big / "new.pot"])
    pb_out = work / "run-update" / "pybabel.po"
    shutil.copy(big / "old.po", pb_out)
    pb = run([tool("pybabel"), "update", "--previous", "-i", big / "new.pot", "-o", pb_out, "-l", "zh_TW"],
             timeout=cap)
    new_ids = [n for n, _ in edits]
    mine = _choices(out_l10n, new_ids)
    theirs = _choices(mm_out, new_ids)
    agree = sum(1 for m in new_ids if mine[m] == theirs[m])
    res = {"entries": entries, "edited": len(edits),
           "l10n": {**me.as_json(), "rate": entries / me.wall, "unit": "entries/s"},
           "msgmerge": {**mm.as_json(), "rate": entries / mm.wall, "unit": "entries/s"},
           "pybabel": {**pb.as_json(), "rate": None if pb.timed_out else entries / pb.wall, "unit": "entries/s",
                       "cap_s": cap},
           "fuzzy": {"l10n": sum(1 for v in mine.values() if v), "msgmerge": sum(1 for v in theirs.values() if v),
                     "agree": agree, "agreement": agree / max(1, len(new_ids)),
                     "l10n_picked_the_original": sum(1 for n, o in edits if mine[n] == o),
                     "msgmerge_picked_the_original": sum(1 for n, o in edits if theirs[n] == o)}}
    res["ratio_msgmerge"] = mm.wall / me.wall
    res["ratio_pybabel"] = pb.wall / me.wall
    res["ratio_pybabel_is_lower_bound"] = pb.timed_out
    return res


def ensure_tmx(work: Path, big: Path, units: int, seed: int) -> Path:
    """The memory: every translated entry of the big catalog as TMX (written once by l10n's writer)."""
    p = work / f"tm-{units}-s{seed}.tmx"
    stamp = f"{os.path.getmtime(big / 'old.po'):.0f}"
    st = p.with_suffix(".stamp")
    if p.is_file() and st.is_file() and st.read_text() == stamp:
        return p
    from l10n.catalogs import read_catalog
    from l10n.tm import TMUnit, write_tmx
    po = read_catalog(str(big / "old.po"))
    p.write_bytes(write_tmx(TMUnit("en", "zh_TW", e.msgid, e.msgstr) for e in po if e.msgstr and not e.obsolete))
    st.write_text(stamp)
    return p


def stage_tm(work: Path, units: int, new: int, seed: int, terms: int) -> dict:
    import polib
    big = ensure_big(work, units, new, seed, terms)
    tmx = ensure_tmx(work, big, units, seed)
    edits = json.loads((big / "edits.json").read_text())
    d = work / "run-tm"
    proj = catalog_project(d, big / "old.po")
    (proj / "locales" / "zh_TW" / "LC_MESSAGES" / "big.po").unlink()     # the memory is the TMX, not a catalog
    pot = polib.POFile(wrapwidth=79)
    pot.metadata = {"Project-Id-Version": "bench", "MIME-Version": "1.0",
                    "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                    "X-Source-Language": "en"}
    for n, _ in edits:
        pot.append(polib.POEntry(msgid=n, msgstr=""))
    (proj / "locales" / "templates").mkdir(parents=True, exist_ok=True)
    pot.save(str(proj / "locales" / "templates" / "new.pot"))
    imp = l10n("tm", "import", tmx, "-p", proj)
    base = l10n("update", "-p", proj, "-l", "zh_TW", "--no-tm")
    pre = l10n("update", "-p", proj, "-l", "zh_TW")
    po = polib.pofile(str(proj / "locales" / "zh_TW" / "LC_MESSAGES" / "new.po"))
    orig = dict((n, o) for n, o in edits)
    filled = [e for e in po if e.msgstr and "fuzzy" in e.flags]
    return {"units": units, "new": len(edits), "tmx_mb": round(tmx.stat().st_size / 1e6, 1),
            "import": {**imp.as_json(), "rate": units / imp.wall, "unit": "units/s"},
            "update_no_tm": {**base.as_json(), "rate": len(edits) / base.wall, "unit": "entries/s"},
            "update_tm": {**pre.as_json(), "rate": len(edits) / pre.wall, "unit": "entries/s"},
            "pretranslation_s": round(pre.wall - base.wall, 2),
            "filled": len(filled),
            "filled_from_the_original": sum(1 for e in filled if e.previous_msgid == orig.get(e.msgid))}


def _mo_equal(a: Path, b: Path) -> bool:
    from l10n.catalogs import read_mo
    return read_mo(a.read_bytes()) == read_mo(b.read_bytes())


def stage_compile(work: Path, sizes: tuple[int, ...], seed: int, terms: int, cap: float) -> dict:
    res: dict = {"sizes": list(sizes)}
    for n in sizes:
        big = ensure_big(work, n, 0, seed, terms)
        # msgfmt's work, compared with msgfmt: the check gate (the check stage's work) is off here
        proj = catalog_project(work / f"run-compile-{n}", big / "old.po", gate="off")
        me = l10n("compile", "-p", proj, "-l", "zh_TW")
        mo = proj / "locales" / "zh_TW" / "LC_MESSAGES" / "big.mo"
        mf_out = work / f"run-compile-{n}" / "msgfmt.mo"
        mf = run([tool("msgfmt"), "-o", mf_out, big / "old.po"])
        pb_out = work / f"run-compile-{n}" / "pybabel.mo"
        pb = run([tool("pybabel"), "compile", "-i", big / "old.po", "-o", pb_out], timeout=cap)
        res[str(n)] = {
            "entries": n,
            "l10n": {**me.as_json(), "rate": n / me.wall, "unit": "entries/s"},
            "msgfmt": {**mf.as_json(), "rate": n / mf.wall, "unit": "entries/s"},
            "pybabel": {**pb.as_json(), "rate": None if pb.timed_out else n / pb.wall, "unit": "entries/s",
                        "cap_s": cap},
            "same_translations_as_msgfmt": _mo_equal(mo, mf_out),
            "ratio_msgfmt": me.wall / mf.wall,          # l10n time / msgfmt time (target <= 1.5)
            "ratio_pybabel": pb.wall / me.wall,         # pybabel time / l10n time (shown; no target)
            "ratio_pybabel_is_lower_bound": pb.timed_out,
        }
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        res["growth"] = {"from": a, "to": b, "entries_factor": b / a,
                         "l10n_time_factor": res[str(b)]["l10n"]["wall_s"] / res[str(a)]["l10n"]["wall_s"],
                         "msgfmt_time_factor": res[str(b)]["msgfmt"]["wall_s"] / res[str(a)]["msgfmt"]["wall_s"],
                         "pybabel_time_factor": res[str(b)]["pybabel"]["wall_s"] / res[str(a)]["pybabel"]["wall_s"]}
    return res


def _edit_translations(po: Path, every: int) -> int:
    """Edit the msgstr of every ``every``-th entry (a phrase appended to its first line); the number edited."""
    lines = po.read_text("utf-8").split("\n")
    n = seen = 0
    for i, line in enumerate(lines):
        if line.startswith('msgstr "') and line != 'msgstr ""':
            seen += 1
            if seen % every == 0:
                lines[i] = line[:-1] + '（已更新）"'
                n += 1
    po.write_text("\n".join(lines), "utf-8")
    return n


def stage_check(work: Path, entries: int, glossaries: tuple[int, ...], seed: int, terms: int, cap: float) -> dict:
    big = ensure_big(work, entries, 0, seed, terms)
    proj = catalog_project(work / "run-check", big / "old.po")
    po = proj / "locales" / "zh_TW" / "LC_MESSAGES" / "big.po"
    res: dict = {"entries": entries, "glossaries": {}}
    real = corpus.REAL_GLOSSARY
    for m in glossaries:
        g = real if m == 0 else ensure_glossary(work, m, seed)
        name = "real" if m == 0 else str(m)
        out = work / "run-check" / f"findings-{name}.json"
        r = l10n("check", "-p", proj, "--glossary", g, "--format", "json", "-o", out, po, ok=(0, 1))
        try:
            findings = len(json.loads(out.read_text() or "[]"))
        except (OSError, ValueError):
            findings = None
        concepts = g.read_text("utf-8").count("[[concept]]")
        res["glossaries"][name] = {**r.as_json(), "concepts": concepts, "findings": findings,
                                   "rate": entries / r.wall, "unit": "entries/s"}
        # again, with the parsed glossary in the project's cache, every entry checked (--no-cache)
        w = l10n("check", "-p", proj, "--glossary", g, "--format", "json", "-o", out, "--no-cache", po, ok=(0, 1))
        res["glossaries"][name]["warm"] = {**w.as_json(), "rate": entries / w.wall, "unit": "entries/s"}
        # and without the dosing rules, to show what they cost (cache warm, like the run above)
        wo = l10n("check", "-p", proj, "--glossary", g, "--format", "json", "-o", out, "--ignore", DOSING_RULES,
                  "--no-cache", po, ok=(0, 1))
        res["glossaries"][name]["warm_without_dosing"] = {**wo.as_json(), "rate": entries / wo.wall,
                                                          "unit": "entries/s", "ignored": DOSING_RULES}
        # the entry findings cache (l10n.entrycache, filled by the cold run): the catalog again, unchanged,
        # then with a tenth of its translations edited (what CI sees after a translator's session)
        same = l10n("check", "-p", proj, "--glossary", g, "--format", "json", "-o", out, po, ok=(0, 1))
        res["glossaries"][name]["entries_cached"] = {**same.as_json(), "rate": entries / same.wall,
                                                     "unit": "entries/s"}
        edited = _edit_translations(po, every=10)
        ed = l10n("check", "-p", proj, "--glossary", g, "--format", "json", "-o", out, po, ok=(0, 1))
        res["glossaries"][name]["entries_cached_edited"] = {**ed.as_json(), "rate": entries / ed.wall,
                                                            "unit": "entries/s", "edited": edited}
        shutil.copy(big / "old.po", po)                  # the next glossary sees the catalog as it was
    pf = run([tool("pofilter"), "--progress=none", "--language=zh_TW", "-i", big / "old.po",
              "-o", work / "run-check" / "pofilter.po"], timeout=cap)
    res["pofilter"] = {**pf.as_json(), "rate": entries / pf.wall, "unit": "entries/s"}
    largest = str(max(glossaries)) if max(glossaries) else "real"
    res["l10n"] = res["glossaries"][largest]
    res["ratio"] = pf.wall / res["l10n"]["wall_s"]
    smallest = "real" if 0 in glossaries else str(min(glossaries))
    res["flatness"] = res["glossaries"][largest]["wall_s"] / res["glossaries"][smallest]["wall_s"]
    res["flatness_warm"] = (res["glossaries"][largest]["warm"]["wall_s"]
                            / res["glossaries"][smallest]["warm"]["wall_s"])
    return res


# -- targets and the table -------------------------------------------------------------------

def targets(results: dict, sizes: list[int]) -> list[dict]:
    out = []

    def add(name: str, want: str, measured, met: bool | None, note: str = "") -> None:
        out.append({"target": name, "want": want, "measured": measured, "met": met, "note": note})

    big = max(sizes) if sizes else None
    pg = results.get("pages", {}).get(str(big), {}) if big else {}
    if "extract" in pg:
        r = pg["extract"]["ratio"]
        add(f"extract {big} pages", ">= 3x html2po pages/s", round(r, 2), r >= 3)
    if "render" in pg and pg["render"].get("ratio") is not None:
        r = pg["render"]["ratio"]
        add(f"render {big} pages", ">= 20x po2html pages/s per locale", round(r, 2), r >= 20)
    if "build" in pg:
        t = pg["build"]["noop"]["wall_s"]
        add(f"no-op build {big} pages", "<= 0.25 s", t, t <= 0.25)
        b = pg["build"]
        t = b.get("one_page_median_s", b["one_page_changed"]["wall_s"])
        walls = ", ".join(f"{w:.2f}" for w in b.get("one_page_walls", [t]))
        add(f"one changed page, {big} pages (check gate included; median of 5 edits)", "<= 0.4 s", t, t <= 0.4,
            f"each: {walls} s")
        held = pg["build"]["first"].get("held_back_units")
        if held is not None:
            add(f"false alarms on the {big}-page corpus (units held back; it plants no errors)", "0", held,
                held == 0)
    cat = results.get("catalogs", {})
    if "update" in cat:
        u = cat["update"]
        add(f"update {u['entries']} entries", ">= 3x faster than msgmerge", round(u["ratio_msgmerge"], 2),
            u["ratio_msgmerge"] >= 3)
        add("fuzzy agreement with msgmerge", ">= 90% of edited entries", round(100 * u["fuzzy"]["agreement"], 1),
            u["fuzzy"]["agreement"] >= 0.9)
    if "compile" in cat:
        c = cat["compile"]
        for n in c["sizes"]:
            x = c[str(n)]
            # (the ">= 10x pybabel" target is retired: Babel 2.19 fixed its quadratic .mo writer)
            add(f"compile {n} entries vs msgfmt", "<= 1.5x msgfmt's time", round(x["ratio_msgfmt"], 2),
                x["ratio_msgfmt"] <= 1.5)
        if "growth" in c:
            g = c["growth"]
            add("compile grows linearly", f"time x{g['entries_factor']:.0f} for entries x{g['entries_factor']:.0f}",
                round(g["l10n_time_factor"], 2), g["l10n_time_factor"] <= g["entries_factor"] * 1.25)
    if "check" in cat:
        k = cat["check"]
        t = k["l10n"]["wall_s"]
        add(f"check {k['entries']} entries, {k['l10n']['concepts']} concepts", "<= 1 s", t, t <= 1)
        add("check vs pofilter", ">= 10x faster", round(k["ratio"], 1), k["ratio"] >= 10)
        add("check flat as the glossary grows", "largest / smallest glossary <= 1.5", round(k["flatness"], 2),
            k["flatness"] <= 1.5)
        if "warm" in k["l10n"]:          # the same with the glossary cache warm: shown, the cold run decides
            tw = k["l10n"]["warm"]["wall_s"]
            add(f"  (glossary cache warm) check {k['entries']} entries", "<= 1 s", tw, tw <= 1)
            if "warm_without_dosing" in k["l10n"]:
                two = k["l10n"]["warm_without_dosing"]["wall_s"]
                add(f"  (glossary cache warm, without GL013-GL017) check {k['entries']} entries", "<= 1 s", two,
                    two <= 1)
            add("  (glossary cache warm) flat", "largest / smallest glossary <= 1.5", round(k["flatness_warm"], 2),
                k["flatness_warm"] <= 1.5)
        if "entries_cached_edited" in k["l10n"]:    # shown; the cold run above decides the limit
            te = k["l10n"]["entries_cached_edited"]["wall_s"]
            add(f"  (entry findings cached) check again, {k['l10n']['entries_cached_edited']['edited']:,} "
                "translations edited", "<= 1 s", te, te <= 1)
    peaks = []

    def walk(x) -> None:
        if isinstance(x, dict):
            if "tree_peak_mb" in x and "l10n" in str(x.get("cmd", "")):
                peaks.append(x["tree_peak_mb"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(results)
    if peaks:
        add("peak memory of any l10n run", "<= 1024 MB", max(peaks), max(peaks) <= 1024)
    return out


def _fmt_rate(x: dict) -> str:
    if x.get("rate") is None:
        return "-"
    unit = x.get("unit", "")
    return f"{x['rate']:,.0f} {unit}"


def _fmt_wall(x: dict) -> str:
    return (">" if x.get("timed_out") else "") + f"{x['wall_s']:.2f}"


def table(results: dict) -> str:
    rows = [("stage", "input", "tool", "wall s", "cpu s (sys)", "throughput", "peak MB", "vs peer")]

    def row(stage, inp, name, x, ratio="") -> None:
        cpu = (f"{x['cpu_user_s'] + x['cpu_sys_s']:.2f} ({x['cpu_sys_s']:.2f})" if "cpu_user_s" in x
               and not x.get("timed_out") else "-")
        rows.append((stage, inp, name, _fmt_wall(x), cpu, _fmt_rate(x), f"{x['tree_peak_mb']:.0f}", ratio))

    for n, pg in sorted(results.get("pages", {}).items(), key=lambda kv: int(kv[0])):
        inp = f"{int(n):,} pages"
        if "extract" in pg:
            e = pg["extract"]
            row("extract", inp, "l10n (cold)", e["l10n"], f"{e['ratio']:.1f}x html2po")
            row("extract", inp, "l10n (cache warm)", e["l10n_warm_cache"])
            row("extract", inp, "html2po", e["html2po"])
        if "render" in pg:
            r = pg["render"]
            ratios = ", ".join(f"{lo} {v:.1f}x" for lo, v in r["ratio_per_locale"].items())
            row("render", f"{r['page_locales']:,} page-locales", "l10n", r["l10n"], ratios)
            for lo, x in r["po2html"].items():
                row("render", f"{x['pages']:,} pages", f"po2html {lo}", x)
        if "build" in pg:
            b = pg["build"]
            row("build", inp, "l10n first", b["first"])
            row("build", inp, "l10n no-op", b["noop"])
            row("build", inp, "l10n 1 page changed", b["one_page_changed"])
    cat = results.get("catalogs", {})
    if "update" in cat:
        u = cat["update"]
        inp = f"{u['entries']:,} ({u['edited']:,} edited)"
        lb = ">" if u["ratio_pybabel_is_lower_bound"] else ""
        row("update", inp, "l10n", u["l10n"], f"{u['ratio_msgmerge']:.1f}x msgmerge, {lb}{u['ratio_pybabel']:.0f}x pybabel")
        row("update", inp, "msgmerge", u["msgmerge"])
        row("update", inp, "pybabel", u["pybabel"])
        f = u["fuzzy"]
        rows.append(("", "", f"fuzzy agreement {100 * f['agreement']:.1f}% "
                     f"(l10n {f['l10n']}, msgmerge {f['msgmerge']} fuzzy)", "", "", "", "", ""))
    if "compile" in cat:
        c = cat["compile"]
        for n in c["sizes"]:
            x = c[str(n)]
            inp = f"{n:,} entries"
            lb = ">" if x["ratio_pybabel_is_lower_bound"] else ""
            row("compile", inp, "l10n", x["l10n"], f"{x['ratio_msgfmt']:.1f}x msgfmt's time, {lb}{x['ratio_pybabel']:.0f}x faster than pybabel")
            row("compile", inp, "msgfmt", x["msgfmt"])
            row("compile", inp, "pybabel", x["pybabel"])
    if "check" in cat:
        k = cat["check"]
        largest = max(k["glossaries"], key=lambda n: k["glossaries"][n]["concepts"])
        for name, x in k["glossaries"].items():
            extra = f"{k['ratio']:.1f}x pofilter" if name == largest else ""
            row("check", f"{k['entries']:,} x {x['concepts']:,} concepts", "l10n (cold)", x, extra)
            if "warm" in x:
                row("check", f"{k['entries']:,} x {x['concepts']:,} concepts", "l10n (glossary cached, --no-cache)", x["warm"],
                    f"{k['pofilter']['wall_s'] / x['warm']['wall_s']:.1f}x pofilter" if name == largest else "")
            if "warm_without_dosing" in x:
                row("check", f"{k['entries']:,} x {x['concepts']:,} concepts",
                    "l10n (glossary cached, --no-cache, --ignore GL013-GL017)", x["warm_without_dosing"],
                    f"dosing rules: {x['warm']['wall_s'] - x['warm_without_dosing']['wall_s']:+.2f} s")
            if "entries_cached" in x:
                row("check", f"{k['entries']:,} x {x['concepts']:,} concepts", "l10n (entry findings cached)",
                    x["entries_cached"], "")
            if "entries_cached_edited" in x:
                row("check", f"{k['entries']:,} x {x['concepts']:,} concepts",
                    f"l10n (entry findings cached, {x['entries_cached_edited']['edited']:,} edited)",
                    x["entries_cached_edited"], "")
        row("check", f"{k['entries']:,} entries", "pofilter", k["pofilter"])
    if "tm" in cat:
        m = cat["tm"]
        row("tm", f"{m['units']:,} units ({m['tmx_mb']} MB TMX)", "l10n tm import", m["import"])
        inp = f"{m['new']:,} new x {m['units']:,} units"
        row("tm", inp, "l10n update (memory)", m["update_tm"],
            f"{m['filled']:,} filled, {m['filled_from_the_original']:,} from the entry edited")
        row("tm", inp, "l10n update --no-tm", m["update_no_tm"])
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def targets_table(ts: list[dict]) -> str:
    rows = [("target", "want", "measured", "met")]
    for t in ts:
        rows.append((t["target"], t["want"], str(t["measured"]), "yes" if t["met"] else "NO"))
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# -- main -------------------------------------------------------------------------------------

_PROBE = "s = 0\nfor i in range(2_000_000):\n    s += i * i\n"


def probe(label: str) -> dict:
    """How fast the machine is right now: a fixed piece of pure-Python work timed alone and as two
    copies at once (both cores). Taken before the first stage and after each one, so that the run
    states its own run-to-run spread: a figure that moved less than this did not move."""
    def timed(n: int) -> float:
        t = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", _PROBE]) for _ in range(n)]
        for pr in procs:
            pr.wait()
        return time.perf_counter() - t
    return {"when": label, "one_core_s": round(timed(1), 3), "two_cores_s": round(timed(2), 3)}


def file_create_probe(folder: Path, n: int = 2000) -> float:
    """Microseconds of wall time to create (and close) one empty file in ``folder``: what every
    written build product pays on top of its bytes. Two folders of one disk can differ by 40x
    (a sandbox's file-system hooks); the render and build figures move with this one."""
    d = Path(tempfile.mkdtemp(prefix=".l10n-fsprobe-", dir=folder))
    try:
        t = time.perf_counter()
        for i in range(n):
            os.close(os.open(d / f"f{i}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        return round((time.perf_counter() - t) / n * 1e6, 1)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def probe_summary(probes: list[dict]) -> dict:
    out: dict = {"probes": probes}
    for k in ("one_core_s", "two_cores_s"):
        v = [p[k] for p in probes]
        if v:
            out[k.replace("_s", "")] = {"min_s": min(v), "max_s": max(v), "spread": round(max(v) / min(v), 2)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark l10n against html2po, po2html, msgmerge, msgfmt, "
                                             "pybabel and pofilter on one generated corpus.")
    ap.add_argument("--pages", type=int, action="append", help="corpus size (repeatable; default 1000 and 10000)")
    ap.add_argument("--quick", action="store_true", help="a tiny corpus: 20 pages, 300 entries (for the tests)")
    ap.add_argument("--stages", default=",".join(ALL_STAGES),
                    help=f"comma-separated subset of {','.join(ALL_STAGES)}")
    ap.add_argument("--out", type=Path, help="JSON results (default benchmarks/results/latest.json; "
                                             "quick.json with --quick)")
    ap.add_argument("--work", type=Path, default=HERE / "corpus", help="where corpora and runs go")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--entries", type=int, help="update/check catalog size (default 20000)")
    ap.add_argument("--edited", type=int, help="edited msgids for update (default 2000)")
    ap.add_argument("--compile-sizes", help="comma-separated (default 20000,40000)")
    ap.add_argument("--tm-units", type=int, help="translation-memory units for the tm stage (default 200000)")
    ap.add_argument("--glossaries", help="comma-separated concept counts for check; 0 = the real glossary "
                                         "(default 0,1000,10000)")
    ap.add_argument("--terms", type=int, default=1000, help="glossary concepts in the site corpus")
    ap.add_argument("--cap", type=float, default=120.0, help="seconds before a slow peer is stopped")
    ap.add_argument("--show", type=Path, metavar="JSON", help="print the tables of an earlier run and exit")
    a = ap.parse_args(argv)
    if a.show:
        res = json.loads(a.show.read_text())
        print(table(res))
        print()
        print(targets_table(res["targets"]))
        return 0

    stages = [s.strip() for s in a.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in ALL_STAGES]
    if unknown:
        ap.error(f"unknown stage {unknown[0]!r} (known: {', '.join(ALL_STAGES)})")
    if a.quick:
        sizes = a.pages or [20]
        entries, edited = a.entries or 300, a.edited or 30
        compile_sizes = tuple(int(x) for x in (a.compile_sizes or "300,600").split(","))
        glossaries = tuple(int(x) for x in (a.glossaries or "0,200,500").split(","))
        tm_units = a.tm_units or 3000
        out = a.out or HERE / "results" / "quick.json"
    else:
        sizes = a.pages or [1000, 10000]
        entries, edited = a.entries or 20000, a.edited or 2000
        compile_sizes = tuple(int(x) for x in (a.compile_sizes or "20000,40000").split(","))
        glossaries = tuple(int(x) for x in (a.glossaries or "0,1000,10000").split(","))
        tm_units = a.tm_units or 200000
        out = a.out or HERE / "results" / "latest.json"
    work = a.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    global TRASH
    TRASH = work / ".trash"
    empty_trash()                   # what a run stopped halfway left
    os.environ["PYTHONPATH"] = str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")
    # l10n's bytecode compiled once, as pip does for an installed package and did for the peers:
    # the runs themselves write none (PYTHONDONTWRITEBYTECODE), so without this every l10n run
    # would compile its modules again (~0.1 s a process)
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "l10n")], check=True)

    started = time.perf_counter()
    results: dict = {
        "when": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(), "versions": versions(), "quick": a.quick, "seed": a.seed,
        "how": {"l10n": "subprocess of the real CLI: python -m l10n.cli <command> -p <project>",
                "peers": "subprocesses of their own command lines",
                "wall": "time.perf_counter around each child",
                "memory": "tree_peak_mb: peak of the summed PSS (proportional set size: pages shared by "
                          "forked workers counted once) of the child and its descendants, sampled every "
                          "20 ms; maxrss_mb: ru_maxrss of the child (largest single process, RSS)"},
        "pages": {}, "catalogs": {}, "errors": {},
    }
    probes = [probe("start")]
    results["machine"]["file_create_us"] = {"work folder": file_create_probe(work),
                                             "system temp folder": file_create_probe(Path(tempfile.gettempdir()))}
    for n in sizes:
        if not any(s in stages for s in PAGE_STAGES):
            break
        print(f"== {n:,} pages", file=sys.stderr)
        pristine = ensure_site(work, n, a.seed, a.terms)
        proj = work / f"run-site-{n}"
        tt = work / f"run-tt-{n}"
        copytree(pristine, proj)
        set_aside(tt)
        tt.mkdir(parents=True)
        pg: dict = {"corpus": json.loads((pristine / "corpus.json").read_text())}
        results["pages"][str(n)] = pg
        for st, fn in (("extract", lambda: stage_extract(proj, tt, n)),
                       ("render", lambda: stage_render(proj, tt, n)),
                       ("build", lambda: stage_build(proj, n))):
            if st not in stages:
                continue
            print(f"   {st} ...", file=sys.stderr)
            t = time.perf_counter()
            try:
                pg[st] = fn()
            except Exception as e:  # noqa: BLE001 - one broken stage must not hide the others
                results["errors"][f"{st}-{n}"] = str(e)[-4000:]
                print(f"   {st} FAILED: {str(e)[-1500:]}", file=sys.stderr)
            print(f"   {st} done in {time.perf_counter() - t:.0f} s", file=sys.stderr)
            probes.append(probe(f"after {st} {n}"))
        if not a.quick:
            set_aside(tt)
    for st, fn in (("update", lambda: stage_update(work, entries, edited, a.seed, a.terms, a.cap)),
                   ("compile", lambda: stage_compile(work, compile_sizes, a.seed, a.terms, a.cap)),
                   ("check", lambda: stage_check(work, entries, glossaries, a.seed, a.terms, a.cap)),
                   ("tm", lambda: stage_tm(work, tm_units, edited, a.seed, a.terms))):
        if st not in stages:
            continue
        print(f"== {st}", file=sys.stderr)
        t = time.perf_counter()
        try:
            results["catalogs"][st] = fn()
        except Exception as e:  # noqa: BLE001
            results["errors"][st] = str(e)[-4000:]
            print(f"   {st} FAILED: {str(e)[-1500:]}", file=sys.stderr)
        print(f"   {st} done in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        probes.append(probe(f"after {st}"))
    empty_trash()                   # untimed: every timed run is done
    results["machine"]["speed_probe"] = probe_summary(probes)
    results["targets"] = targets(results, sizes)
    results["total_s"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_average_at_end"] = _loadavg()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp, out)
    m = results["machine"]
    print(f"\nl10n benchmark — {m['cores']} cores, {m['memory_gb']} GB, Python {results['versions']['python']}"
          f" ({results['total_s']:.0f} s; load average {m.get('load_average_at_start')} at the start, "
          f"{m.get('load_average_at_end')} at the end)")
    sp = m["speed_probe"]
    if "one_core" in sp:
        print(f"machine speed during the run ({len(sp['probes'])} probes of fixed work): one core "
              f"{sp['one_core']['min_s']}-{sp['one_core']['max_s']} s, both cores {sp['two_cores']['min_s']}-"
              f"{sp['two_cores']['max_s']} s: run-to-run spread {sp['one_core']['spread']}x / "
              f"{sp['two_cores']['spread']}x")
    fc = m.get("file_create_us")
    if fc:
        print(f"creating one file: {fc['work folder']} µs in the work folder ({a.work}), "
              f"{fc['system temp folder']} µs in {tempfile.gettempdir()}")
    print()
    print(table(results))
    print()
    print(targets_table(results["targets"]))
    if results["errors"]:
        print("\nerrors:", ", ".join(results["errors"]))
    print(f"\nwrote {out}")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
