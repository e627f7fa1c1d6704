#!/usr/bin/env python3
"""Generates Sources/AWSClient/Services/<Service>/<Service>+Shapes.swift from botocore's service models.

Usage: python3 Scripts/generate-aws-shapes.py [Sources/AWSClient/Services]
Needs botocore BOTOCORE_VERSION (pip install botocore==BOTOCORE_VERSION): the shapes are generated from that
release's models, so regenerating with another release cannot change them unnoticed.
The output shapes of the operations below, and every shape they reach, become Codable structs nested in the
service's type. botocore's models are the authoritative shapes; the wire names (XML locationName for EC2,
member names for Query and JSON 1.1, locationName for REST-JSON bodies) become the CodingKeys.
"""
import gzip
import html
import json
import os
import re
import subprocess
import sys

import botocore

#: The botocore release whose service models the committed shapes come from.
BOTOCORE_VERSION = "1.43.11"

SERVICES = [
    ("IAM", "iam", "2010-05-08", [
        "GetAccountAuthorizationDetails", "ListUsers", "ListAccessKeys", "GetAccessKeyLastUsed", "GetLoginProfile",
        "ListMFADevices", "ListSSHPublicKeys", "ListServiceSpecificCredentials", "ListSigningCertificates",
        "ListInstanceProfiles", "ListSAMLProviders", "ListOpenIDConnectProviders", "ListAccountAliases",
        "GenerateCredentialReport", "GetCredentialReport", "ListRoles", "GetRole"]),
    ("STS", "sts", "2011-06-15", ["GetCallerIdentity", "AssumeRole", "AssumeRoleWithWebIdentity"]),
    ("EC2", "ec2", "2016-11-15", [
        "DescribeRegions", "DescribeInstances", "DescribeVpcEndpoints", "DescribeSecurityGroups", "DescribeKeyPairs",
        "DescribeIamInstanceProfileAssociations"]),
    ("CloudTrail", "cloudtrail", "2013-11-01", [
        "DescribeTrails", "GetTrailStatus", "GetEventSelectors", "LookupEvents", "ListPublicKeys", "StartQuery",
        "DescribeQuery", "GetQueryResults", "GetEventDataStore", "ListEventDataStores"]),
    ("Organizations", "organizations", "2016-11-28", ["DescribeOrganization", "ListAccounts"]),
    ("GuardDuty", "guardduty", "2017-11-28", ["ListDetectors", "GetDetector"]),
    ("S3", "s3", "2006-03-01", ["ListObjectsV2"]),
    ("AccountManagement", "account", "2021-02-01", ["ListRegions"]),
    ("Athena", "athena", "2017-05-18", ["StartQueryExecution", "GetQueryExecution", "GetQueryResults", "ListQueryExecutions"]),
]

KEYWORDS = {"default", "protocol", "operator", "public", "private", "static", "self", "in", "is", "as", "case",
            "enum", "struct", "class", "func", "import", "return", "where", "while", "for", "if", "else", "switch",
            "repeat", "extension", "internal", "let", "var", "init", "true", "false", "nil", "throw", "throws", "try",
            "catch", "do", "break", "continue", "fallthrough", "guard", "defer", "subscript", "typealias",
            "associatedtype", "deinit", "inout", "super", "Type", "Self", "Any"}
# Shape names that would shadow a Swift or Foundation type inside the service's namespace.
RENAMES = {"Error": "ErrorShape", "Date": "DateShape", "Data": "DataShape", "Result": "ResultShape",
           "String": "StringShape", "Protocol": "ProtocolShape", "Type": "TypeShape"}


def camel(name):
    if name.isupper() or not any(c.islower() for c in name):
        out = name.lower()
    else:
        run = 0
        while run < len(name) and name[run].isupper():
            run += 1
        if run <= 1:
            out = name[:1].lower() + name[1:]
        elif run < len(name) and name[run].islower():
            out = name[:run - 1].lower() + name[run - 1:]
        else:
            out = name[:run].lower() + name[run:]
    return f"`{out}`" if out in KEYWORDS else out


def is_map(swift_type):
    """Whether ``swift_type`` is a dictionary (``[K: V]``) rather than an array (``[T]``, ``[[K: V]]``)."""
    depth = 0
    for char in swift_type:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == ":" and depth == 1:
            return True
    return False


def doc_line(text, fallback):
    text = html.unescape(re.sub(r"<[^>]+>", " ", text or ""))
    text = " ".join(text.split())
    if not text:
        return fallback
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > 104:
        sentence = sentence[:100].rsplit(" ", 1)[0] + " …"
    return sentence


def swift_name(shape):
    return RENAMES.get(shape, shape)


class Generator:
    def __init__(self, type_name, service, version, operations):
        root = os.path.join(os.path.dirname(botocore.__file__), "data", service, version, "service-2.json.gz")
        self.model = json.load(gzip.open(root))
        self.type_name = type_name
        self.service = service
        self.version = version
        self.protocol = self.model["metadata"]["protocol"]
        self.shapes = self.model["shapes"]
        self.order = []
        for op in operations:
            output = self.model["operations"][op].get("output")
            if output:
                self.walk(output["shape"])

    def walk(self, name):
        if name in self.order:
            return
        shape = self.shapes[name]
        if self.service == "sts" and name == "Credentials":
            return
        if shape["type"] == "structure":
            self.order.append(name)
            for member in shape["members"].values():
                self.walk(member["shape"])
        elif shape["type"] == "list":
            self.walk(shape["member"]["shape"])
        elif shape["type"] == "map":
            self.walk(shape["value"]["shape"])

    def swift_type(self, name):
        shape = self.shapes[name]
        kind = shape["type"]
        if name == "policyDocumentType":
            return "PolicyDocument"
        if self.service == "sts" and name == "Credentials":
            # Secrets stay inside AWSCredentials, whose description, mirror and encoding leave them out.
            return "AWSCredentials"
        if kind == "string":
            return "String"
        if kind in ("integer", "long"):
            return "Int"
        if kind in ("double", "float"):
            return "Double"
        if kind == "boolean":
            return "Bool"
        if kind == "timestamp":
            return "Date"
        if kind == "blob":
            return "Data"
        if kind == "list":
            return f"[{self.swift_type(shape['member']['shape'])}]"
        if kind == "map":
            return f"[String: {self.swift_type(shape['value']['shape'])}]"
        if kind == "structure":
            return swift_name(name)
        raise ValueError(f"unhandled shape {name} of type {kind}")

    def wire_name(self, member_name, member):
        if self.protocol in ("ec2", "rest-json", "rest-xml") and "locationName" in member:
            return member["locationName"]
        return member_name

    def members(self, shape):
        out = []
        for member_name, member in shape["members"].items():
            if member.get("location") in ("header", "headers", "statusCode", "uri", "querystring"):
                continue
            if member.get("streaming"):
                continue
            target = self.shapes[member["shape"]]
            out.append({
                "prop": camel(member_name),
                "wire": self.wire_name(member_name, member),
                "type": self.swift_type(member["shape"]),
                "collection": target["type"] in ("list", "map"),
                "flattened": target["type"] == "list" and target.get("flattened", False),
                "doc": doc_line(member.get("documentation"), f"The `{member_name}` member."),
            })
        return out

    def struct(self, name):
        shape = self.shapes[name]
        members = self.members(shape)
        type_doc = doc_line(shape.get("documentation"), f"The `{name}` shape of the {self.type_name} API.")
        lines = [f"    /// {type_doc}", f"    public struct {swift_name(name)}: Codable, Hashable, Sendable {{"]
        for m in members:
            optional = "" if m["collection"] else "?"
            lines.append(f"        /// {m['doc']}")
            lines.append(f"        public var {m['prop']}: {m['type']}{optional}")
        if members:
            lines.append("")
        lines.append("        /// Makes a value; AWS may leave out any member, so every one has a default.")
        params = []
        for m in members:
            default = ("[:]" if is_map(m["type"]) else "[]") if m["collection"] else "nil"
            optional = "" if m["collection"] else "?"
            params.append(f"{m['prop']}: {m['type']}{optional} = {default}")
        if params:
            lines.append("        public init(")
            lines.append("            " + ",\n            ".join(params))
            lines.append("        ) {")
            for m in members:
                bare = m["prop"].strip("`")
                lines.append(f"            self.{bare} = {m['prop']}")
            lines.append("        }")
        else:
            lines.append("        public init() {}")
        if members:
            lines.append("")
            lines.append("        /// Decodes the shape, taking a missing list or map as empty.")
            lines.append("        public init(from decoder: any Decoder) throws {")
            lines.append("            let container = try decoder.container(keyedBy: CodingKeys.self)")
            for m in members:
                bare = m["prop"].strip("`")
                if m["collection"]:
                    empty = "[:]" if is_map(m["type"]) else "[]"
                    lines.append(
                        f"            self.{bare} = try container.decodeIfPresent({m['type']}.self, forKey: .{m['prop']}) ?? {empty}")
                else:
                    lines.append(f"            self.{bare} = try container.decodeIfPresent({m['type']}.self, forKey: .{m['prop']})")
            lines.append("        }")
            lines.append("")
            lines.append("        enum CodingKeys: String, CodingKey, AWSShapeCodingKeys {")
            for m in members:
                lines.append(f"            case {m['prop']} = \"{m['wire']}\"")
            flattened = sorted(m["wire"] for m in members if m["flattened"])
            set_text = ", ".join(f'"{w}"' for w in flattened)
            lines.append(f"            static let flattened: Set<String> = [{set_text}]")
            lines.append("        }")
        lines.append("    }")
        return "\n".join(lines)

    def render(self):
        body = "\n\n".join(self.struct(name) for name in sorted(self.order, key=lambda n: swift_name(n)))
        uses_foundation = re.search(r"\b(Date|Data)\b", body) is not None
        header = [
            f"// Generated by Scripts/generate-aws-shapes.py from botocore {botocore.__version__}'s",
            f"// {self.service} {self.version} model ({self.protocol} protocol). Do not edit by hand: change the script.",
            "",
            "public import Foundation" if uses_foundation else "import Foundation",
            "",
            f"extension {self.type_name} {{",
        ]
        return "\n".join(header) + "\n" + body + "\n}\n"


def main():
    if botocore.__version__ != BOTOCORE_VERSION:
        sys.exit(f"botocore {botocore.__version__} is installed; the shapes come from {BOTOCORE_VERSION}: "
                 f"pip install botocore=={BOTOCORE_VERSION}")
    out_root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "AWSClient", "Services")
    written = []
    for type_name, service, version, operations in SERVICES:
        gen = Generator(type_name, service, version, operations)
        folder = os.path.join(out_root, type_name)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{type_name}+Shapes.swift")
        with open(path, "w") as f:
            f.write(gen.render())
        print(f"{path}: {len(gen.order)} shapes")
        written.append(path)
    # The project's .swift-format decides the final layout.
    config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".swift-format")
    options = ["--configuration", config] if os.path.exists(config) else []
    subprocess.run(["swift", "format", "-i", *options, *written], check=False)


if __name__ == "__main__":
    main()
