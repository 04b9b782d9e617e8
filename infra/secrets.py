"""Secrets Manager secrets for the sources' credentials: KMS-encrypted, no value in the template.

CloudFormation fills each with a generated placeholder; the operator then stores the real value
(``aws secretsmanager put-secret-value``), which never passes through the template or the code.
The publishers issue these credentials, so they are rotated by hand, not by a rotation Lambda.
"""

from __future__ import annotations

from infra.cfn import Fragment, get_att, output, ref, tags
from infra.iam import source_secret_names
from infra.keys import KEY
from lake.aws_names import logical_id, pii_salt_secret
from spark.pii import hashes_pii


def fragment(graph, settings) -> Fragment:
    resources, outputs = {}, {}
    for source, name in source_secret_names(settings, graph).items():
        if name.startswith("arn:"):
            continue  # an existing secret named by ARN is not ours to create
        logical = logical_id("source_secret", source)
        resources[logical] = {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Name": name,
                "Description": f"Credentials of the {source} source: JSON with username and password.",
                "KmsKeyId": get_att(KEY, "Arn"),
                "GenerateSecretString": {"SecretStringTemplate": '{"username": "anonymous"}',
                                         "GenerateStringKey": "password", "PasswordLength": 32},
                "Tags": tags(settings, source=source),
            },
        }
        outputs[f"{logical}Arn"] = output(ref(logical), f"Secret of the {source} source's credentials.")
    # The PII salt: a random value Secrets Manager generates; read only by the jobs that hash PII.
    salts = sorted({pii_salt_secret(a, settings) for a in graph if not a.is_raw and hashes_pii(a)})
    for name in salts:
        if name.startswith("arn:"):
            continue
        logical = logical_id("pii_salt", name.rsplit("/", 1)[-1])
        resources[logical] = {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Name": name,
                "Description": "Salt of the PII hashes of the curated zone: JSON with the key salt.",
                "KmsKeyId": get_att(KEY, "Arn"),
                "GenerateSecretString": {"SecretStringTemplate": "{}", "GenerateStringKey": "salt",
                                         "PasswordLength": 48, "ExcludePunctuation": True},
                "Tags": tags(settings),
            },
        }
    return Fragment(resources=resources, outputs=outputs)
