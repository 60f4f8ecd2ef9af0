"""Measure `enforce`: in-process parse, cold start, batch throughput, peak RSS, input scaling.

Run from the project root with the project's interpreter (`make bench` does this):

    .venv/bin/python benchmarks/bench.py [--quick] [--out PATH] [--samples DIR]

Prints a table on stdout and writes every figure to benchmarks/results.json. Nothing here asserts a
time: targets are reported as met or missed so a slow run is visible, never a failed build.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import multiprocessing
import os
import pathlib
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
KB = 1024


# ---------------------------------------------------------------- settings


def settings(quick: bool) -> dict:
    """Run counts and input sizes; --quick keeps the smoke test to a few seconds."""
    if quick:
        return {"warmup": 1, "runs": 3, "cold_runs": 1, "batch_count": 8, "scale_sizes": [1 * KB, 4 * KB],
                "scale_runs": 2, "scale_runs_1mb": 1}
    return {"warmup": 5, "runs": 50, "cold_runs": 10, "batch_count": 1000,
            "scale_sizes": [10 * KB, 100 * KB, 1024 * KB], "scale_runs": 21, "scale_runs_1mb": 3}


# ---------------------------------------------------------------- small helpers


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with 50 runs, p95 is the 48th fastest, an actually observed time."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def time_calls(fn, arg, warmup: int, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per call of fn(arg), after warm-up calls that fill caches and compile patterns.

    CPU time is kept beside wall time because the machine is shared: when other processes queue
    for the cores, wall time grows and CPU time mostly does not.
    """
    for _ in range(warmup):
        fn(arg)
    wall, cpu = [], []
    for _ in range(runs):
        c0, t0 = time.thread_time(), time.perf_counter()
        fn(arg)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    return wall, cpu


def summarize(timed: tuple[list[float], list[float]]) -> dict:
    wall, cpu = timed
    median = statistics.median(wall)
    return {"runs": len(wall), "median_ms": median * 1e3, "p95_ms": percentile(wall, 95) * 1e3,
            "min_ms": min(wall) * 1e3, "cpu_median_ms": statistics.median(cpu) * 1e3,
            "reports_per_s": 1 / median if median else None}


def enforce_exe() -> str | None:
    """The entry point installed beside this interpreter: the command users actually run."""
    exe = pathlib.Path(sys.executable).with_name("enforce")
    return str(exe) if exe.exists() else shutil.which("enforce")


def tree_rss_kb(pid: int) -> int:
    """Current RSS of a process and all its descendants (Linux /proc), 0 where unreadable."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in pathlib.Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
            for task in pathlib.Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_child(argv: list[str], *, rss: bool = False, poll_tree: bool = False) -> dict:
    """Run one process to completion: wall time, and with rss=True its peak RSS.

    The peak comes from GNU time when present: wait4's ru_maxrss on Linux also counts the address
    space the child had before exec, i.e. this (large) benchmark process, so it is only an upper
    bound. Either way it is the largest single process of the child's tree, not the sum, so for
    multi-process commands the tree is also sampled every 20 ms to get a summed peak.
    """
    rss_file = None
    if rss and GNU_TIME:
        fd, rss_file = tempfile.mkstemp(prefix="enforce-bench-rss-")
        os.close(fd)
        argv = [GNU_TIME, "-f", "%M", "-o", rss_file, *argv]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "NO_COLOR": "1"})
    tree_peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            tree_peak[0] = max(tree_peak[0], tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True) if poll_tree else None
    if sampler:
        sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    done.set()
    if sampler:
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    result = {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "returncode": proc.returncode,
              "stderr": stderr.decode("utf-8", "replace")[-500:]}
    if rss_file:
        text = pathlib.Path(rss_file).read_text().split()
        os.unlink(rss_file)
        result["peak_rss_mb"] = int(text[-1]) / KB if text else None
        result["rss_method"] = "GNU time %M"
    elif rss:
        result["peak_rss_mb"] = usage.ru_maxrss / KB
        result["rss_method"] = "wait4 ru_maxrss (upper bound: includes the benchmark process)"
    if poll_tree:
        result["tree_peak_rss_mb"] = tree_peak[0] / KB
    return result


# ---------------------------------------------------------------- the five measurements


def machine_check(n: int = 20_000) -> int:
    """A fixed pure-Python workload (~1.9 ms on a quiet run), timed between the parses: on a shared
    machine whose speed drifts, it tells a slow run from a slow parser."""
    counts: dict[int, int] = {}
    for i in range(n):
        counts[i % 97] = counts.get(i % 97, 0) + i
    return len(counts)


def bench_parse(samples: list[pathlib.Path], cfg: dict) -> tuple[list[dict], dict]:
    """parse_text on decoded text (the engine) and parse_bytes on raw bytes (decode + hash + engine),
    and the machine check timed in the same rounds.

    The runs go round the samples (run 1 of every sample, then run 2 ...): on this shared machine a
    burst of load lasting a second or two then slows one run of many samples instead of most runs
    of one sample, whose median it would otherwise decide.
    """
    from enforcement_parser.api import parse_bytes, parse_text

    calls = [(machine_check, 20_000)]
    for path in samples:
        data = path.read_bytes()
        calls.append((lambda t, p=str(path): parse_text(t, path=p), data.decode("utf-8-sig")))
        calls.append((lambda d, p=str(path): parse_bytes(d, path=p), data))
    for fn, arg in calls:
        for _ in range(cfg["warmup"]):
            fn(arg)
    timed = [([], []) for _ in calls]
    for _ in range(cfg["runs"]):
        for (fn, arg), (wall, cpu) in zip(calls, timed):
            w, c = time_calls(fn, arg, 0, 1)
            wall += w
            cpu += c
    rows = []
    for k, path in enumerate(samples):
        text, data = calls[2 * k + 1][1], calls[2 * k + 2][1]
        rows.append({
            "sample": path.name, "bytes": len(data), "chars": len(text),
            "kind": parse_text(text, path=str(path))["document"]["kind"],
            "parse_text": summarize(timed[2 * k + 1]), "parse_bytes": summarize(timed[2 * k + 2]),
        })
    return rows, summarize(timed[0])


def representative(samples: list[pathlib.Path], parse_rows: list[dict]) -> pathlib.Path:
    """The largest sample the engine reads as a report: notices and other documents skip most readers."""
    reports = {r["sample"] for r in parse_rows if r["kind"] == "report"}
    return max((p for p in samples if p.name in reports or not reports), key=lambda p: p.stat().st_size)


def bench_cold_start(enforce: str, sample: pathlib.Path, cfg: dict) -> list[dict]:
    """Whole-process wall time, commands interleaved per round so machine noise hits them alike."""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "enforce --version": [enforce, "--version"],
        "enforce --help": [enforce, "--help"],
        f"enforce parse {sample.name}": [enforce, "parse", str(sample)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    failures: dict[str, str] = {}
    # the untimed first round warms page cache and .pyc files, and measures
    # peak RSS (the RSS wrapper would add its own start-up to the timed rounds)
    rss = {name: run_child(argv, rss=True) for name, argv in commands.items()}
    for _ in range(cfg["cold_runs"]):
        for name, argv in commands.items():
            r = run_child(argv)
            if r["returncode"] != 0:
                failures[name] = f"exit {r['returncode']}: {r['stderr'].strip()}"
            times[name].append(r["seconds"])
            cpu[name].append(r["cpu_seconds"])
    base = statistics.median(times["python -c pass"])
    cpu_base = statistics.median(cpu["python -c pass"])
    return [{"command": name, "runs": len(t), "median_ms": statistics.median(t) * 1e3,
             "min_ms": min(t) * 1e3, "ratio_to_python": statistics.median(t) / base,
             "cpu_median_ms": statistics.median(cpu[name]) * 1e3,
             "cpu_ratio_to_python": statistics.median(cpu[name]) / cpu_base if cpu_base else None,
             "peak_rss_mb": rss[name]["peak_rss_mb"], "rss_method": rss[name]["rss_method"],
             **({"error": failures[name]} if name in failures else {})}
            for name, t in times.items()]


def make_reports(samples: list[pathlib.Path], count: int, directory: pathlib.Path) -> list[pathlib.Path]:
    """`count` seed-sized reports: the samples in turn, digits rotated so no two files are equal."""
    texts = [p.read_text(encoding="utf-8-sig") for p in samples]
    files = []
    for i in range(count):
        shift = i // len(texts) % 9 + 1 if i >= len(texts) else 0
        table = str.maketrans("0123456789", "".join(str((d + shift) % 10) for d in range(10)))
        path = directory / f"report_{i:04d}.txt"
        path.write_text(texts[i % len(texts)].translate(table), encoding="utf-8")
        files.append(path)
    return files


def batch_available(enforce: str) -> bool:
    r = subprocess.run([enforce, "batch", "--help"], capture_output=True)
    return r.returncode == 0


def _parse_one(path: str) -> int:
    from enforcement_parser.api import parse_file

    return len(parse_file(path))


def bench_batch(enforce: str, files: list[pathlib.Path], workdir: pathlib.Path) -> list[dict]:
    """`enforce batch -j 1/2` as whole processes, plus a multiprocessing baseline over parse_file."""
    rows = []
    indir = files[0].parent
    available = batch_available(enforce)
    for jobs in (1, 2):
        name = f"enforce batch -j {jobs}"
        if not available:
            rows.append({"mode": name, "status": "unavailable", "reports": len(files)})
            continue
        out = workdir / f"out_j{jobs}"
        r = run_child([enforce, "batch", str(indir), "-o", str(out), "-j", str(jobs)], rss=True,
                      poll_tree=True)
        # exit 1 means "finished, with findings" in this CLI; only 2+ is a failed run
        status = "ok" if r["returncode"] in (0, 1) else f"failed (exit {r['returncode']})"
        row = {"mode": name, "status": status, "reports": len(files), "seconds": r["seconds"],
               "reports_per_s": len(files) / r["seconds"], "peak_rss_mb": r["peak_rss_mb"],
               "tree_peak_rss_mb": r["tree_peak_rss_mb"], "exit": r["returncode"]}
        if status != "ok":
            row["stderr"] = r["stderr"].strip()
        rows.append(row)
    paths = [str(f) for f in files]
    for procs in (1, 2):
        ctx = multiprocessing.get_context("spawn")  # workers import from scratch, like the CLI's
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with ctx.Pool(procs) as pool:
            pool.map(_parse_one, paths, chunksize=max(1, len(paths) // (procs * 8)))
            pool.close()
            pool.join()  # reaped workers' CPU time shows in RUSAGE_CHILDREN
        seconds = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        rows.append({"mode": f"multiprocessing parse_file, {procs} process{'es' if procs > 1 else ''}",
                     "status": "ok", "reports": len(files), "seconds": seconds, "cpu_seconds": cpu,
                     "reports_per_s": len(files) / seconds})
    return rows


def bench_scaling(sample: pathlib.Path, cfg: dict) -> list[dict]:
    """The same report repeated to each size: parse time should grow about linearly."""
    from enforcement_parser.api import parse_text

    base = sample.read_text(encoding="utf-8-sig").rstrip("\n") + "\n\n"
    rows = []
    for size in cfg["scale_sizes"]:
        text = base * (size // len(base.encode("utf-8")) + 1)
        text = text.encode("utf-8")[:size].decode("utf-8", "ignore")
        # the ratio's denominator is a few ms: enough runs that one slow moment does not set it
        runs = cfg["scale_runs"] if size <= 100 * KB else cfg["scale_runs_1mb"]
        wall, cpu = time_calls(parse_text, text, 1, runs)
        rows.append({"bytes": len(text.encode("utf-8")), "label": f"{size // KB} KB", "runs": runs,
                     "median_ms": statistics.median(wall) * 1e3, "cpu_median_ms": statistics.median(cpu) * 1e3})
    for row in rows:
        row["ratio_to_first"] = row["median_ms"] / rows[0]["median_ms"]
        row["cpu_ratio_to_first"] = row["cpu_median_ms"] / rows[0]["cpu_median_ms"]
    return rows


# ---------------------------------------------------------------- targets, metadata, output


def evaluate_targets(res: dict) -> list[dict]:
    """The issue's targets, each with the measured figure; a row is skipped if it was not measured."""
    out = []

    def add(name, measured, limit, unit):
        if measured is not None:
            out.append({"target": name, "measured": round(measured, 3), "limit": limit, "unit": unit,
                        "met": measured <= limit})

    if res["parse"]:
        medians = [r["parse_text"]["median_ms"] for r in res["parse"]]
        add("in-process parse_text median, slowest sample", max(medians), 5, "ms")
        add("in-process parse_text median, typical sample (median)", statistics.median(medians), 5, "ms")
        add("  same, CPU time (less sensitive to a busy machine)",
            statistics.median(r["parse_text"]["cpu_median_ms"] for r in res["parse"]), 5, "ms")
    cold = {r["command"].split()[1] if r["command"].startswith("enforce") else "python": r
            for r in res["cold_start"]}
    add("enforce parse SAMPLE cold / python -c pass", cold.get("parse", {}).get("ratio_to_python"), 10, "x")
    add("  same, CPU time", cold.get("parse", {}).get("cpu_ratio_to_python"), 10, "x")
    add("enforce --version cold / python -c pass", cold.get("--version", {}).get("ratio_to_python"), 5, "x")
    batch = {r["mode"]: r for r in res["batch"]}
    j2 = batch.get("enforce batch -j 2", {})
    if j2.get("status") == "ok" and j2.get("reports") == 1000:
        add("enforce batch -j 2, 1000 reports", j2["seconds"], 10, "s")
    mp2 = batch.get("multiprocessing parse_file, 2 processes", {})
    if mp2.get("reports") == 1000:
        add("multiprocessing baseline, 2 processes, 1000 reports", mp2["seconds"], 10, "s")
    add("peak RSS of enforce parse", cold.get("parse", {}).get("peak_rss_mb"), 120, "MB")
    scale = {r["label"]: r for r in res["scaling"]}
    if "100 KB" in scale and "10 KB" in scale:
        add("100 KB parse / 10 KB parse", scale["100 KB"]["ratio_to_first"], 15, "x")
        add("  same, CPU time", scale["100 KB"]["cpu_ratio_to_first"], 15, "x")
    return out


def precompile_package() -> bool:
    """Write the package's .pyc files, as `pip install` does, before timing whole processes.

    With PYTHONDONTWRITEBYTECODE set (as on some CI and sandbox machines) an editable install
    otherwise recompiles every module from source in every process, which is not what users see.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("enforcement_parser")
    package_dir = pathlib.Path(spec.origin).parent
    return os.access(package_dir, os.W_OK) and bool(compileall.compile_dir(package_dir, quiet=1))


def git(*args: str) -> str | None:
    r = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def metadata(quick: bool, enforce: str | None) -> dict:
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "quick": quick, "python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
            "commit": git("log", "-1", "--format=%h %s"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
            "main": git("rev-parse", "--short", "main"), "enforce": enforce}


def print_table(res: dict) -> None:
    w = sys.stdout.write
    m = res["meta"]
    w(f"enforce benchmark  {m['date']}  commit {m['commit']}  python {m['python']}  cpus {m['cpus']}  load {m['load_average_1_5_15'][0]}"
      f"{'  (QUICK)' if m['quick'] else ''}\n\n")
    w("In-process parse                     bytes  kind      text med/p95 ms (cpu)   bytes med/p95 ms   reports/s\n")
    for r in res["parse"]:
        t, b = r["parse_text"], r["parse_bytes"]
        w(f"  {r['sample']:<32}{r['bytes']:>7}  {r['kind']:<8}{t['median_ms']:7.2f} /{t['p95_ms']:7.2f}"
          f" ({t['cpu_median_ms']:6.2f})   {b['median_ms']:7.2f} /{b['p95_ms']:7.2f}   {t['reports_per_s']:8.0f}\n")
    mc = res["machine_check"]
    w(f"  machine check (a fixed pure-Python loop, timed in the same rounds): {mc['median_ms']:.2f} ms median,"
      f" {mc['p95_ms']:.2f} ms p95 (docs/benchmark.md: what a quiet run gives)\n")
    w("\nCold start (whole process)             median ms   x python   cpu ms   cpu x python   peak RSS MB\n")
    for r in res["cold_start"]:
        w(f"  {r['command']:<36}{r['median_ms']:9.1f}   {r['ratio_to_python']:7.2f}   {r['cpu_median_ms']:6.1f}"
          f"   {r['cpu_ratio_to_python'] or 0:11.2f}   {r['peak_rss_mb']:9.1f}"
          f"{'   ' + r['error'] if 'error' in r else ''}\n")
    w("\nBatch                                          reports   seconds   cpu s   reports/s   peak RSS MB (1 proc / tree)\n")
    for r in res["batch"]:
        if r["status"] != "ok":
            w(f"  {r['mode']:<45}{r['reports']:>6}   {r['status']}\n")
            continue
        rss = f"{r['peak_rss_mb']:8.1f} / {r['tree_peak_rss_mb']:.1f}" if "peak_rss_mb" in r else ""
        # enforce batch's forkserver workers are not its own children, so their CPU time is not counted
        cpu = f"{r['cpu_seconds']:5.1f}" if "cpu_seconds" in r else "    -"
        w(f"  {r['mode']:<45}{r['reports']:>6}   {r['seconds']:7.2f}   {cpu}"
          f"   {r['reports_per_s']:9.0f}   {rss}\n")
    w(f"\nScaling ({m['cold_and_scaling_sample']} repeated)   median ms   x first   cpu ms   cpu x first\n")
    for r in res["scaling"]:
        w(f"  {r['label']:<28}{r['median_ms']:10.2f}   {r['ratio_to_first']:7.2f}   {r['cpu_median_ms']:6.2f}"
          f"   {r['cpu_ratio_to_first']:7.2f}\n")
    w("\nTargets\n")
    for t in res["targets"]:
        w(f"  {'met   ' if t['met'] else 'MISSED'}  {t['target']:<55}{t['measured']:>10} {t['unit']}"
          f"  (<= {t['limit']} {t['unit']})\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few runs, tiny inputs (smoke test)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"), help="results JSON path")
    ap.add_argument("--samples", default=str(ROOT / "samples"), help="directory of *.txt reports")
    args = ap.parse_args(argv)

    cfg = settings(args.quick)
    samples = sorted(pathlib.Path(args.samples).glob("*.txt"))
    if not samples:
        sys.stderr.write(f"error: no *.txt samples in {args.samples}\n")
        return 2
    enforce = enforce_exe()
    if enforce is None:
        sys.stderr.write("error: `enforce` is not installed beside this interpreter (run make first)\n")
        return 2
    res: dict = {"meta": metadata(args.quick, enforce), "settings": cfg}
    res["meta"]["bytecode_precompiled"] = precompile_package()
    res["meta"]["PYTHONDONTWRITEBYTECODE"] = os.environ.get("PYTHONDONTWRITEBYTECODE")
    res["parse"], res["machine_check"] = bench_parse(samples, cfg)
    largest = representative(samples, res["parse"])
    res["meta"]["cold_and_scaling_sample"] = largest.name
    res["cold_start"] = bench_cold_start(enforce, largest, cfg)
    with tempfile.TemporaryDirectory(prefix="enforce-bench-") as tmp:
        indir = pathlib.Path(tmp) / "in"
        indir.mkdir()
        files = make_reports(samples, cfg["batch_count"], indir)
        res["batch"] = bench_batch(enforce, files, pathlib.Path(tmp))
    res["scaling"] = bench_scaling(largest, cfg)
    res["targets"] = evaluate_targets(res)
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(res)
    sys.stdout.write(f"\nwrote {out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
