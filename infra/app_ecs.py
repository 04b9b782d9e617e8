"""The production option: the app on ECS Fargate behind an HTTPS Application Load Balancer.

Only ``AllowedCidrs`` reach the load balancer (443); only the load balancer reaches the tasks
(8501). The task runs as the app role; the execution role only pulls the image and writes logs.
"""

from __future__ import annotations

from infra import iam
from lake import aws_names as names
from infra.app_ec2 import APP_COMMAND, APP_PORT, REPOSITORY, app_environment, image_uri
from infra.cfn import Fragment, get_att, output, ref, sub, tags
from infra.iam_roles import APP, ECS_EXECUTION
from infra.parameters import MAX_CIDRS, cidr, cidr_condition

ALB_SG, TASK_SG, ALB, TARGETS, LISTENER = "AlbSecurityGroup", "TaskSecurityGroup", "AppLoadBalancer", "AppTargetGroup", "AppHttpsListener"
CLUSTER, TASK, SERVICE = "AppCluster", "AppTaskDefinition", "AppService"
ECS = "CreateEcs"


def _ecs(resource_type: str, properties: dict, **extra) -> dict:
    return {"Type": resource_type, "Condition": ECS, "Properties": properties, **extra}


def fragment(graph, settings) -> Fragment:
    project = names.project(settings)
    resources: dict = {
        ALB_SG: _ecs("AWS::EC2::SecurityGroup", {
            "GroupDescription": f"{project} load balancer: 443 from AllowedCidrs only", "VpcId": ref("VpcId"),
            "Tags": tags(settings)}),
        TASK_SG: _ecs("AWS::EC2::SecurityGroup", {
            "GroupDescription": f"{project} app tasks: 8501 from the load balancer only", "VpcId": ref("VpcId"),
            "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0",
                                     "Description": "HTTPS to AWS APIs (ECR, S3, Athena, Glue)"}],
            "Tags": tags(settings)}),
        "AlbToTasks": _ecs("AWS::EC2::SecurityGroupEgress", {
            "GroupId": ref(ALB_SG), "IpProtocol": "tcp", "FromPort": APP_PORT, "ToPort": APP_PORT,
            "DestinationSecurityGroupId": ref(TASK_SG), "Description": "Forward to the app tasks"}),
        "TasksFromAlb": _ecs("AWS::EC2::SecurityGroupIngress", {
            "GroupId": ref(TASK_SG), "IpProtocol": "tcp", "FromPort": APP_PORT, "ToPort": APP_PORT,
            "SourceSecurityGroupId": ref(ALB_SG), "Description": "Streamlit from the load balancer"}),
        ALB: _ecs("AWS::ElasticLoadBalancingV2::LoadBalancer", {
            "Scheme": "internet-facing", "Type": "application", "Subnets": ref("PublicSubnetIds"),
            "SecurityGroups": [ref(ALB_SG)],
            "LoadBalancerAttributes": [
                {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
                {"Key": "deletion_protection.enabled", "Value": "true"},
            ],
            "Tags": tags(settings)},
            # No ALB access logs: access is limited to AllowedCidrs and the app logs to CloudWatch.
        ),
        TARGETS: _ecs("AWS::ElasticLoadBalancingV2::TargetGroup", {
            "VpcId": ref("VpcId"), "Protocol": "HTTP", "Port": APP_PORT, "TargetType": "ip",
            "HealthCheckPath": "/_stcore/health", "Matcher": {"HttpCode": "200"}, "Tags": tags(settings)}),
        LISTENER: _ecs("AWS::ElasticLoadBalancingV2::Listener", {
            "LoadBalancerArn": ref(ALB), "Port": 443, "Protocol": "HTTPS",
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "Certificates": [{"CertificateArn": ref("CertificateArn")}],
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": ref(TARGETS)}]}),
        CLUSTER: _ecs("AWS::ECS::Cluster", {
            "ClusterName": f"{project}-app",
            "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}], "Tags": tags(settings)}),
        TASK: _ecs("AWS::ECS::TaskDefinition", {
            "Family": f"{project}-app", "Cpu": "512", "Memory": "1024", "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "ExecutionRoleArn": get_att(ECS_EXECUTION, "Arn"), "TaskRoleArn": get_att(APP, "Arn"),
            "ContainerDefinitions": [{
                "Name": "app", "Image": sub(image_uri()), "Essential": True, "Command": APP_COMMAND,
                "PortMappings": [{"ContainerPort": APP_PORT, "Protocol": "tcp"}],
                "Environment": [{"Name": k, "Value": v} for k, v in app_environment(settings).items()],
                "LogConfiguration": {"LogDriver": "awslogs", "Options": {
                    "awslogs-group": iam.app_log_group(settings), "awslogs-region": settings.aws_region,
                    "awslogs-stream-prefix": "ecs"}},
            }],
            "Tags": tags(settings)},
        ),
        SERVICE: _ecs("AWS::ECS::Service", {
            "Cluster": ref(CLUSTER), "LaunchType": "FARGATE", "DesiredCount": 1, "TaskDefinition": ref(TASK),
            "HealthCheckGracePeriodSeconds": 60,
            "LoadBalancers": [{"ContainerName": "app", "ContainerPort": APP_PORT, "TargetGroupArn": ref(TARGETS)}],
            "NetworkConfiguration": {"AwsvpcConfiguration": {
                # Public subnets without a NAT: the task needs a public IP to reach ECR; its
                # security group admits only the load balancer.
                "AssignPublicIp": "ENABLED", "Subnets": ref("PublicSubnetIds"), "SecurityGroups": [ref(TASK_SG)]}},
            "Tags": tags(settings)},
            DependsOn=[LISTENER],
        ),
    }
    conditions = {}
    for index in range(MAX_CIDRS):
        conditions[f"Ecs{cidr_condition(index)}"] = {"Fn::And": [{"Condition": ECS}, {"Condition": cidr_condition(index)}]}
        resources[f"AlbIngress{index + 1}"] = {
            "Type": "AWS::EC2::SecurityGroupIngress", "Condition": f"Ecs{cidr_condition(index)}",
            "Properties": {"GroupId": ref(ALB_SG), "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                           "CidrIp": cidr(index), "Description": f"HTTPS from allowed CIDR {index + 1}"},
        }
    return Fragment(resources=resources, conditions=conditions, outputs={
        "AppLoadBalancerUrl": output({"Fn::Join": ["", ["https://", get_att(ALB, "DNSName")]]},
                                      "The app on ECS (point your DNS here).", ECS),
    })
