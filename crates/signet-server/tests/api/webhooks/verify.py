"""Checks webhook deliveries with the `standardwebhooks` package (the Standard Webhooks
reference library for Python), independently of Signet's own signing code.

Reads a JSON list from stdin: [{"secret": "whsec_...", "headers": {...}, "body": "<base64>"}].
Each delivery must verify with its secret, and must fail once one byte of its body is changed.
Prints OK, or exits non-zero with the reason.
"""

import base64
import json
import sys

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def main() -> None:
    cases = json.load(sys.stdin)
    if not cases:
        sys.exit("no deliveries to check")
    for number, case in enumerate(cases):
        body = base64.b64decode(case["body"])
        hook = Webhook(case["secret"])
        try:
            hook.verify(body, case["headers"])
        except WebhookVerificationError as err:
            sys.exit(f"delivery {number} ({case['headers'].get('webhook-id')}) failed: {err}")
        tampered = bytearray(body)
        tampered[len(tampered) // 2] ^= 0x01
        try:
            hook.verify(bytes(tampered), case["headers"])
        except WebhookVerificationError:
            continue
        sys.exit(f"delivery {number}: a changed body still verified")
    print("OK")


if __name__ == "__main__":
    main()
