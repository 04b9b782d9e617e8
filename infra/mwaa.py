"""An MWAA (Airflow 3) environment running the generated DAGs, created when EnableMwaa=true."""

from __future__ import annotations

from infra import iam, names
from infra.buckets import LAKE
from infra.cfn import Fragment, get_att, output, ref, tags
from infra.iam_roles import AIRFLOW
from infra.keys import KEY

ENVIRONMENT, SECURITY_GROUP = "MwaaEnvironment", "MwaaSecurityGroup"


def fragment(graph, settings) -> Fragment:
    logging = {"Enabled": True, "LogLevel": "INFO"}
    return Fragment(
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
