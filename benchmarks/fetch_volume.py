"""Fetching at volume: a 1,000,000-row, one-day Dialer report served from a local HTTP server.

Compares, each in a fresh process and interleaved, ``fetch_dialer_results`` (cache off)
against bare ``requests`` streaming the same bytes to disk followed by
``read_dialer_results`` on that file. Prints median wall time and peak RSS.

    python benchmarks/fetch_volume.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.common import run_child  # noqa: E402

DATA = HERE / "data"
DAY = "2024-10-29"
ACCOUNT = "1"

CONTENDERS = {
    "requests + read_dialer_results": """
        import tempfile, requests, callanalytics as ca
        START()
        with tempfile.TemporaryDirectory() as folder:
            path = folder + "/report.csv"
            with requests.post(URL, json={}, stream=True, timeout=(10, 600)) as response:
                response.raise_for_status()
                with open(path, "wb") as out:
                    for chunk in response.iter_content(1 << 20):
                        out.write(chunk)
            df = ca.read_dialer_results(path)
    """,
    "fetch_dialer_results": """
        import callanalytics as ca
        client = ca.EngageVoiceClient(base_url=BASE, account_id="1", token="benchmark")
        START()
        df = ca.fetch_dialer_results(DAY, "2024-10-30", client=client, cache=False,
                                     progress=False)
    """,
}

CHILD = """
import sys, time
from benchmarks.common import peak_rss
BASE, URL, DAY = {base!r}, {url!r}, {day!r}
_t = [0.0]
def START():
    _t[0] = time.perf_counter()
{body}
print(time.perf_counter() - _t[0], peak_rss(),
      len(df))
"""


def one_day_file() -> Path:
    path = DATA / "dialer_1000000_one_day.csv"
    if not path.exists():
        import callanalytics as ca

        DATA.mkdir(exist_ok=True)
        print(f"generating {path.name} ...", flush=True)
        path.write_bytes(ca.sample_dialer_results(1_000_000, start=DAY, days=1, raw=True))
    return path


def serve(path: Path) -> ThreadingHTTPServer:
    size = path.stat().st_size

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    self.wfile.write(chunk)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = one_day_file()
    server = serve(path)
    base = f"http://127.0.0.1:{server.server_address[1]}/voice/api"
    url = f"{base}/v1/admin/accounts/{ACCOUNT}/reportsStreaming"
    samples: dict[str, list[tuple[float, int, int]]] = {name: [] for name in CONTENDERS}
    for run in range(args.runs):
        for name, body in CONTENDERS.items():
            code = CHILD.format(base=base, url=url, day=DAY, body=textwrap.dedent(body))
            seconds, rss, rows = run_child(code, name)
            samples[name].append((float(seconds), int(rss), int(rows)))
            print(
                f"  run {run + 1}: {name:32s} {float(seconds):6.2f} s  {int(rows):,} rows",
                flush=True,
            )
    server.shutdown()
    medians = {
        n: (statistics.median(s[0] for s in v), statistics.median(s[1] for s in v))
        for n, v in samples.items()
    }
    bare, ours = medians["requests + read_dialer_results"], medians["fetch_dialer_results"]
    lines = [
        f"### Fetching at volume ({path.stat().st_size / 2**20:,.0f} MB, 1,000,000 rows, "
        f"median of {args.runs})",
        "",
        "| contender | median s | peak RSS MB |",
        "| --- | ---: | ---: |",
        *(f"| {n} | {s:.2f} | {r / 2**20:,.0f} |" for n, (s, r) in medians.items()),
        "",
        f"fetch / bare time: {ours[0] / bare[0]:.2f} (target <= 1.25); "
        f"fetch / bare peak RSS: {ours[1] / bare[1]:.2f} "
        f"(the {path.stat().st_size / 2**20:,.0f} MB body is streamed to disk, never held).",
    ]
    text = "\n".join(lines)
    print("\n" + text)
    (HERE / "results_fetch_volume.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
