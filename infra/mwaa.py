"""An MWAA (Airflow 3) environment running the generated DAGs, created when EnableMwaa=true."""

from __future__ import annotations

from infra import iam
from lake import aws_names as names
from infra.buckets import LAKE
from infra.cfn import Fragment, get_att, output, ref, tags
from infra.iam_roles import AIRFLOW
from infra.keys import KEY

ENVIRONMENT, SECURITY_GROUP = "MwaaEnvironment", "MwaaSecurityGroup"
# The MWAA versions that have partitioned assets (Airflow 3.2+); MWAA's other 3.x, 3.0.6, has none.
AIRFLOW_VERSIONS = ("3.2.1", "3.3.1")
DEFAULT_AIRFLOW_VERSION = "3.3.1"


def check_airflow_version(version: str) -> str:
    if version not in AIRFLOW_VERSIONS:
        raise ValueError(
            f"MWAA Airflow version {version!r} is not supported: the DAGs use partitioned assets (Airflow 3.2+); "
            f"use one of {', '.join(AIRFLOW_VERSIONS)} (default {DEFAULT_AIRFLOW_VERSION})."
        )
    return version


def fragment(graph, settings) -> Fragment:
    logging = {"Enabled": True, "LogLevel": "INFO"}
    return Fragment(
        parameters={"MwaaAirflowVersion": {
            "Type": "String", "Default": DEFAULT_AIRFLOW_VERSION, "AllowedValues": list(AIRFLOW_VERSIONS),
            "Description": "MWAA's Airflow version: one with partitioned assets (3.2+)."}},
        resources={
            SECURITY_GROUP: {"Type": "AWS::EC2::SecurityGroup", "Condition": "CreateMwaa", "Properties": {
                "GroupDescription": "MWAA: its components talk to each other only", "VpcId": ref("VpcId"),
                "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0",
                                         "Description": "HTTPS to AWS APIs and the city's portal"}],
                "Tags": tags(settings)}},
            "MwaaSelfIngress": {"Type": "AWS::EC2::SecurityGroupIngress", "Condition": "CreateMwaa", "Properties": {
                "GroupId": ref(SECURITY_GROUP), "IpProtocol": "-1", "SourceSecurityGroupId": ref(SECURITY_GROUP),
                "Description": "MWAA components"}},
            ENVIRONMENT: {"Type": "AWS::MWAA::Environment", "Condition": "CreateMwaa", "Properties": {
                "Name": iam.mwaa_environment_name(settings),
                "AirflowVersion": ref("MwaaAirflowVersion"),
                "EnvironmentClass": "mw1.small",
                "ExecutionRoleArn": get_att(AIRFLOW, "Arn"),
                "SourceBucketArn": get_att(LAKE, "Arn"),
                "DagS3Path": names.dags_prefix(settings),
                "RequirementsS3Path": names.mwaa_requirements_key(settings),
                "PluginsS3Path": names.mwaa_plugins_key(settings),
                "KmsKey": get_att(KEY, "Arn"),
                "WebserverAccessMode": "PRIVATE_ONLY",
                "NetworkConfiguration": {"SubnetIds": ref("MwaaSubnetIds"), "SecurityGroupIds": [ref(SECURITY_GROUP)]},
                "AirflowConfigurationOptions": {"core.load_examples": "False"},
                "LoggingConfiguration": {k: logging for k in (
                    "DagProcessingLogs", "SchedulerLogs", "TaskLogs", "WebserverLogs", "WorkerLogs")},
                "Tags": {"project": names.project(settings)},
            }},
        },
        outputs={"MwaaWebserverUrl": output(get_att(ENVIRONMENT, "WebserverUrl"), "Airflow's UI (private).", "CreateMwaa")},
    )
