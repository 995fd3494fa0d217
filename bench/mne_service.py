"""The comparison service for bench/serviceLoad.ts: what a lab would write in an afternoon with
the standard library — http.server in one process, MNE's seed workflow (dSPM weights, then
mixed_norm with the seed options) run per request, the dipoles answered as JSON.

Usage: /usr/bin/python3 bench/mne_service.py [PORT]   (prints "listening on PORT" when ready)
POST /v1/solve {"fwd": ..., "evoked": ..., "cov": ..., "condition": ...} -> 200 {"dipoles": [...]}
"""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mne_side import SEED, _read, _weights  # noqa: E402  the same workflow as the benchmarks
from mne.inverse_sparse import mixed_norm  # noqa: E402


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('content-type', 'application/json')
        self.send_header('content-length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._answer(200, {'ok': True})

    def do_POST(self):
        try:
            spec = json.loads(self.rfile.read(int(self.headers['content-length'])))
            t0 = time.perf_counter()
            evoked, fwd, cov = _read(spec)
            weights = _weights(evoked, fwd, cov, SEED['loose'], SEED['depth'])
            dips, _ = mixed_norm(evoked, fwd, cov, weights=weights, return_residual=True,
                                 return_as_dipoles=True, **SEED)
            self._answer(200, {'seconds': time.perf_counter() - t0,
                               'dipoles': [{'pos': d.pos[0].tolist(), 'gof': float(d.gof.max())}
                                           for d in dips]})
        except Exception as e:  # a failed request is counted by the load test as an error
            self._answer(500, {'error': str(e)})


class Server(HTTPServer):
    request_queue_size = 128  # 50 clients connect at once; the default 5 would refuse some


if __name__ == '__main__':
    server = Server(('127.0.0.1', int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
    print(f'listening on {server.server_address[1]}', flush=True)
    server.serve_forever()
