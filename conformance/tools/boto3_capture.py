"""Capturing the exact request boto3 sends, without network: boto3 (parameter validation off, so
it sends invalid inputs as given) talks to a loopback listener that records each request and
answers with the response the caller gives. Shared by the fixture generators."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import boto3
from botocore.config import Config

BOTO3 = f"boto3 {boto3.__version__}"
REPLAY_HOST = "127.0.0.1:4598"


class _Listener(BaseHTTPRequestHandler):
    captured = []
    answer = (200, {})

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        headers = {k.lower(): v for k, v in self.headers.items()}
        _Listener.captured.append({"method": "POST", "path": self.path, "headers": headers, "body": body})
        status, payload = _Listener.answer
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-requestid", "00000000-0000-4000-8000-000000000000")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class Capture:
    """A boto3 Personalize client aimed at a loopback listener of this process."""

    def __init__(self, drop_headers, region="us-east-1"):
        self.drop_headers = drop_headers
        self.server = HTTPServer(("127.0.0.1", 0), _Listener)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.client = boto3.client(
            "personalize",
            region_name=region,
            endpoint_url=f"http://127.0.0.1:{self.server.server_port}",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            config=Config(parameter_validation=False, retries={"max_attempts": 1, "mode": "standard"}),
        )

    def request(self, method, params, status=200, body=None):
        """The request boto3 sends for `method(**params)` (a boto3 method name), answered with
        `status` and `body`; the headers in `drop_headers` left out, the host the replay one."""
        _Listener.captured.clear()
        _Listener.answer = (status, {} if body is None else body)
        try:
            getattr(self.client, method)(**params)
        except self.client.exceptions.ClientError:
            pass
        [request] = _Listener.captured
        request["headers"] = {k: v for k, v in request["headers"].items() if k not in self.drop_headers}
        request["headers"]["host"] = REPLAY_HOST
        return request

    def shutdown(self):
        self.server.shutdown()
