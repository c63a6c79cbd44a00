# The Python snippets of Auco's "Reactivate Process" document, as printed; only the URL, the
# private key and the document or package code come from the command line:
#   reactivate.py BASE_URL KEY document|package CODE
import sys

import requests
import json

base_url, private_key, which, code = sys.argv[1:5]


def reactivate_document(DOCUMENTCODE):
    url = base_url + "/document/reactivate"
    payload = json.dumps({
    "code": DOCUMENTCODE,
    "email": "manager@auco.ai"
    })
    headers = {
    'Authorization': private_key,
    'Content-Type': 'application/json'
    }
    response = requests.request("PUT", url, headers=headers, data=payload)
    print(response.text)


def reactivate_package(PACKAGECODE):
    url = base_url + "/document/reactivate"
    payload = json.dumps({
    "package": PACKAGECODE,
    "email": "manager@auco.ai"
    })
    headers = {
    'Authorization': private_key,
    'Content-Type': 'application/json'
    }
    response = requests.request("PUT", url, headers=headers, data=payload)
    print(response.text)


if which == "document":
    reactivate_document(code)
else:
    reactivate_package(code)
