"""The load test's people (run by ``python -m bench load``; LOAD_WORLD names the seeded world's
JSON). Officers list, read, create and fill mailbox requests, sign them as requester, upload a
Word file and submit what was signed; supervisors and heads of HR read their inbox and sign;
reviewers read the queue, claim and decide; citizens verify approved documents by their code.
Each user uses the token it kept from an earlier sign-in; one in ten signs in afresh (a password
hash, as in production), as does every signature.

A claim that another reviewer won a moment before answers 409, as does a submission the same
officer made a moment before in another session (the load has more users than officer accounts):
that is the contract (one winner, the others told), so it counts as an answer, not an error.
Every other non-2xx is an error.

The users are Locust's FastHttpUser (geventhttpclient): Locust shares the cores with the servers
it loads, and with HttpUser (python-requests) it cost about 6 ms of CPU a request, a quarter of
what gunicorn spends; FastHttpUser costs a fraction of that. Headers go with each request
(``_Person.call``): its session has no mutable default headers.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from pathlib import Path

from locust import FastHttpUser, between, task

WORLD = json.loads(Path(os.environ["LOAD_WORLD"]).read_text())
DATA = WORLD["data"]  # each officer's mailbox request, by username
_accounts = {
    role: itertools.cycle(WORLD[role]) for role in ("officers", "signatories", "reviewers")
}


FORWARDED = {"X-Forwarded-Proto": "https"}  # as nginx says it


class _Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        username = self.username = next(_accounts[self.role])
        token = WORLD["tokens"][username]
        self.headers = dict(FORWARDED)
        if random.random() < 0.1:  # some sign in afresh (a hash), the others kept their token
            response = self.call(
                "POST",
                "/api/v1/auth/token/",
                json={"username": username, "password": WORLD["password"]},
                name="token",
            )
            token = response.json()["token"]
        self.headers["Authorization"] = f"Token {token}"

    def call(self, method: str, path: str, **kwargs):
        return self.client.request(method, path, headers=self.headers, **kwargs)

    def first_id(self, path: str, name: str) -> str | None:
        results = self.call("GET", path, name=name).json().get("results") or []
        return random.choice(results[:10])["id"] if results else None

    def upload(self, path: str, filename: str, content: bytes, name: str):
        """A multipart/form-data POST of one file field (FastHttpUser builds none itself)."""
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        headers = {**self.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.client.request("POST", path, data=body, headers=headers, name=name)


class Officer(_Person):
    role = "officers"
    weight = 5

    @task(6)
    def list_and_read(self) -> None:
        document = self.first_id("/api/v1/documents/?page_size=20", "documents list")
        if document:
            self.call("GET", f"/api/v1/documents/{document}/", name="document detail")

    @task(2)
    def create_fill_and_sign(self) -> None:
        created = self.call(
            "POST",
            "/api/v1/documents/",
            json={"type": "email_account_request", "title": "Ombi la sanduku"},
            name="create",
        ).json()
        path = f"/api/v1/documents/{created['id']}"
        self.call("PATCH", f"{path}/", json={"data": DATA[self.username]}, name="fill")
        if random.random() < 0.3:
            word = self.call("GET", f"{path}/docx/", name="word download").content
            self.upload(f"{path}/import-docx/", "ombi.docx", word, name="word upload")
        self.call("POST", f"{path}/request-signatures/", json={}, name="request-signatures")
        self.call("POST", f"{path}/sign/", json={"password": WORLD["password"]}, name="sign")

    @task(1)
    def submit_signed(self) -> None:
        document = self.first_id("/api/v1/documents/?status=signed&type=email_account_request",
                                 "documents list (signed)")  # fmt: skip
        if not document:
            return
        path = f"/api/v1/documents/{document}/submit/"
        with self.call("POST", path, json={}, name="submit", catch_response=True) as response:
            if response.status_code == 409:
                # the same account in another session was first (more users than accounts)
                response.success()


class Signatory(_Person):
    role = "signatories"
    weight = 2

    @task
    def inbox_read_sign(self) -> None:
        document = self.first_id("/api/v1/signature-requests/", "signature inbox")
        if document:
            self.call("GET", f"/api/v1/documents/{document}/", name="document detail")
            self.call(
                "POST",
                f"/api/v1/documents/{document}/sign/",
                json={"password": WORLD["password"]},
                name="sign",
            )


class Reviewer(_Person):
    role = "reviewers"
    weight = 2

    @task
    def queue_claim_decide(self) -> None:
        queue = "/api/v1/review-queue/?page_size=50&type=email_account_request&assignee=none"
        document = self.first_id(queue, "review queue")
        if not document:
            return
        path = f"/api/v1/documents/{document}"
        with self.call("POST", f"{path}/claim/", json={}, name="claim", catch_response=True) as r:
            if r.status_code == 409:
                r.success()  # another reviewer won it: the contract's answer
                return
        self.call("GET", f"{path}/", name="document detail")
        if random.random() < 0.15:
            body, action = {"override_reason": "Jaribio la mzigo"}, "approve"
        else:
            body, action = {"comment": "Ongeza maelezo ya gharama."}, "request-changes"
        self.call("POST", f"{path}/{action}/", json=body, name=action)


class Citizen(FastHttpUser):
    weight = 1
    wait_time = between(1, 3)

    @task
    def verify(self) -> None:
        code = random.choice(WORLD["codes"])
        self.client.request("GET", f"/api/v1/verify/{code}/", headers=FORWARDED, name="verify")
