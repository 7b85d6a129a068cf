"""Transforms template.yaml with AWS SAM's own translator (the aws-sam-translator package sam deploy uses) and
prints the CloudFormation JSON. Offline: managed policy ARNs come from the table below, not from IAM.
usage: python3 transform.py TEMPLATE [Name=Value ...]"""
import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class OfflinePolicies:
    def load(self):
        base = "arn:aws:iam::aws:policy/service-role/"
        return {name: base + name for name in (
            "AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaRole")}


os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
template = yaml_parse(open(sys.argv[1]).read())
# SAM resolves a local CodeUri only on upload (sam deploy); the translator wants an S3 location
template["Globals"]["Function"]["CodeUri"] = "s3://bucket/attribute-relay.jar"
parameters = dict(arg.split("=", 1) for arg in sys.argv[2:])
json.dump(transform(template, parameters, OfflinePolicies()), sys.stdout, default=str)
