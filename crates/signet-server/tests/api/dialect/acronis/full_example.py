#!/usr/bin/env python3

import requests  # Will be used for sending requests to the API.
import hashlib   # Will be used for calculating hash values.
import os.path   # Will be used for path-related operations.
import pprint    # Will be used for formatting the output of JSON objects received in API responses.
import json      # Will be used for converting dictionaries into JSON text

# Define variables named "LOGIN" and "PASSWORD" and then assign them with your account credentials
LOGIN = '<your login>'        # Change login here
PASSWORD = '<your password>'  # Change password here

# Define a variable named "cloud_url" and then assign it with the URL of the cloud platform
cloud_url = 'https://cloud.acronis.com'

# Fetch the URL of the data center where your account is located by sending a GET request to the "/api/1/accounts" endpoint
response = requests.get(
    f'{cloud_url}/api/1/accounts',
    params={'login': LOGIN}
)
response.raise_for_status()

# Convert the JSON text that the response body contains to a dictionary and store the data center URL
# in a variable that will be used in further requests
server_url = response.json()['server_url']

# Define a variable named "account_creds", and then assign the username and password to this variable
account_creds = {
    'username': LOGIN,
    'password': PASSWORD
}

# Generate a token by sending a POST request to the "/api/2/idp/token" with your account credentials to the cloud platform
response = requests.post(
    f'{server_url}/api/2/idp/token',
    headers={'Content-Type': 'application/x-www-form-urlencoded'},
    data={'grant_type': 'password', **account_creds}
)
response.raise_for_status()

# Convert the JSON text that the response body contains to a dictionary and then assign it to a variable named "token_info"
token_info = response.json()

# Define a variable named "auth" and then assign it with a dictionary with "Authorization" key containing
# token string formatted as "Bearer <access_token>"
auth = {
    'Authorization': 'Bearer ' + token_info['access_token']
}

# Define a variable named "base_url", and then assign the API base URL using the data center URL
# to this variable
base_url = f'{server_url}/api/notary/v2'

# Define a variable named "file_id" and then assign it with the ID of the file
file_id = 'aa95bac7-33fd-4faa-9fa1-f4baeaca82cd'

# Fetch the information about the file in notary storage by sending a GET request to
# the "/stored-files/{file_id}" endpoint
response = requests.get(f'{base_url}/stored-files/{file_id}', headers=auth)
response.raise_for_status()

# Convert the JSON text that the response body contains to a dictionary and fetch the ID of the document
doc_id = response.json()['file']['document_id']

# Fetch the information about the e-sign document by sending a GET request to the "/documents/{doc_id}" endpoint
response = requests.get(f'{base_url}/documents/{doc_id}', headers=auth)
response.raise_for_status()

# Convert the JSON text that the response body contains to a dictionary and fetch the information about the document
document = response.json()['document']

# Define a variable named "signees" and then assign it with the list of e-sign document signees
signees = document['signees']

# Find the signee by his email and fetch the ID of the signee
signee_id = None
for signee in signees:
    if signee['email'] == 'john.smith@example.com':
        signee_id = signee['id']
        break

# Resend the email to the signee by sending a POST request to the "/documents/{doc_id}/signees/{signee_id}/resend"
# endpoint
response = requests.post(f'{base_url}/documents/{doc_id}/signees/{signee_id}/resend', headers=auth)
response.raise_for_status()
