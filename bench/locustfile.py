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
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

WORLD = json.loads(Path(os.environ["LOAD_WORLD"]).read_text())
DATA = WORLD["data"]  # each officer's mailbox request, by username
_accounts = {
    role: itertools.cycle(WORLD[role]) for role in ("officers", "signatories", "reviewers")
}


class _Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-Proto"] = "https"  # as nginx says it
        username = self.username = next(_accounts[self.role])
        token = WORLD["tokens"][username]
        if random.random() < 0.1:  # some sign in afresh (a hash), the others kept their token
            response = self.client.post(
                "/api/v1/auth/token/",
                json={"username": username, "password": WORLD["password"]},
                name="token",
            )
            token = response.json()["token"]
        self.client.headers["Authorization"] = f"Token {token}"

    def first_id(self, path: str, name: str) -> str | None:
        results = self.client.get(path, name=name).json().get("results") or []
        return random.choice(results[:10])["id"] if results else None


class Officer(_Person):
    role = "officers"
    weight = 5

    @task(6)
    def list_and_read(self) -> None:
        document = self.first_id("/api/v1/documents/?page_size=20", "documents list")
        if document:
            self.client.get(f"/api/v1/documents/{document}/", name="document detail")

    @task(2)
    def create_fill_and_sign(self) -> None:
        created = self.client.post(
            "/api/v1/documents/",
            json={"type": "email_account_request", "title": "Ombi la sanduku"},
            name="create",
        ).json()
        path = f"/api/v1/documents/{created['id']}"
        self.client.patch(f"{path}/", json={"data": DATA[self.username]}, name="fill")
        if random.random() < 0.3:
            word = self.client.get(f"{path}/docx/", name="word download").content
            self.client.post(
                f"{path}/import-docx/", files={"file": ("ombi.docx", word)}, name="word upload"
            )
        self.client.post(f"{path}/request-signatures/", json={}, name="request-signatures")
        self.client.post(f"{path}/sign/", json={"password": WORLD["password"]}, name="sign")

    @task(1)
    def submit_signed(self) -> None:
        document = self.first_id("/api/v1/documents/?status=signed&type=email_account_request",
                                 "documents list (signed)")  # fmt: skip
        if not document:
            return
        path = f"/api/v1/documents/{document}/submit/"
        with self.client.post(path, json={}, name="submit", catch_response=True) as response:
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
            self.client.get(f"/api/v1/documents/{document}/", name="document detail")
            self.client.post(
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
        with self.client.post(f"{path}/claim/", json={}, name="claim", catch_response=True) as r:
            if r.status_code == 409:
                r.success()  # another reviewer won it: the contract's answer
                return
        self.client.get(f"{path}/", name="document detail")
        if random.random() < 0.15:
            body, action = {"override_reason": "Jaribio la mzigo"}, "approve"
        else:
            body, action = {"comment": "Ongeza maelezo ya gharama."}, "request-changes"
        self.client.post(f"{path}/{action}/", json=body, name=action)


class Citizen(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-Proto"] = "https"

    @task
    def verify(self) -> None:
        code = random.choice(WORLD["codes"])
        self.client.get(f"/api/v1/verify/{code}/", name="verify")
