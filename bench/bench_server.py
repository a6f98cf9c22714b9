#!/usr/bin/env python3
"""Latency of the web app's main action: regenerate 2 bars (all four voices)
of a 16-bar chorale through `deepquartet serve` with the shipped model, from
the POST to the job's end (long polling: GET /api/job/ID?wait=5). Prints the
p50/p95 of N requests, and of the job's own time on the server.

    bench/bench_server.py [N] [MODEL]
"""
import json, os, socket, subprocess, sys, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 20
MODEL = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "models", "bach.dqm")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def wait(base, job):
    while job["state"] in ("queued", "running"):
        job = call(base, "GET", "/api/job/%s?wait=5" % job["id"])
    if job["state"] != "done":
        sys.exit("job ended " + job["state"] + ": " + job.get("error", ""))
    return job


def percentiles(values):
    values = sorted(values)
    return values[len(values) // 2], values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]


def main():
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    server = subprocess.Popen([os.path.join(ROOT, "build", "deepquartet"), "serve", "--port", str(port), "--model", MODEL]
                              + sys.argv[3:],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                call(base, "GET", "/api/health")
                break
            except OSError:
                time.sleep(0.05)
        piece = wait(base, call(base, "POST", "/api/piece", {"bars": 16, "key": "D major", "seed": 1}))["result"]
        times, job_times = [], []
        for i in range(N):
            start = time.perf_counter()
            job = wait(base, call(base, "POST", "/api/piece/%s/regenerate" % piece["id"],
                                  {"from_bar": 7, "to_bar": 8, "seed": 100 + i}))
            times.append(time.perf_counter() - start)
            job_times.append(job["seconds"])
        print("| regenerate bars 7-8 of 16, all voices, through the web server (%d requests) | p50 %.3f s | p95 %.3f s |"
              " job alone: p50 %.3f s | p95 %.3f s |" % ((N,) + percentiles(times) + percentiles(job_times)))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
