"""Alerts: the SNS topic, Glue job failures (events and alarms), stale assets, the app's log group."""

from __future__ import annotations

from infra import iam
from lake import aws_names as names
from infra.cfn import Fragment, get_att, output, ref, tags
from lake.glue_job_spec import job_assets
from infra.keys import KEY
from lake.aws_names import logical_id
from infra.metrics import freshness_metric

TOPIC = "AlertTopic"
APP_LOG_RETENTION_DAYS = 30


def fragment(graph, settings) -> Fragment:
    jobs = [names.job_name(a, settings) for a in job_assets(graph)]
    namespace, stale_metric = freshness_metric(settings)
    resources: dict = {
        TOPIC: {"Type": "AWS::SNS::Topic", "Properties": {
            "TopicName": names.alert_topic(settings), "KmsMasterKeyId": ref(KEY), "Tags": tags(settings)}},
        "AlertTopicPolicy": {"Type": "AWS::SNS::TopicPolicy", "Properties": {
            "Topics": [ref(TOPIC)],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Sid": "AlarmsAndEventsPublish", "Effect": "Allow",
                "Principal": {"Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]},
                "Action": "sns:Publish", "Resource": ref(TOPIC),
                "Condition": {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}},
            }]},
        }},
        "AlertEmailSubscription": {"Type": "AWS::SNS::Subscription", "Condition": "HasAlertEmail", "Properties": {
            "TopicArn": ref(TOPIC), "Protocol": "email", "Endpoint": ref("AlertEmail")}},
        # A failed, timed-out or errored run of any of our jobs is announced once, as it happens.
        "GlueJobFailedRule": {"Type": "AWS::Events::Rule", "Properties": {
            "Description": "Glue job runs of the lake that did not succeed",
            "State": "ENABLED",
            "EventPattern": {"source": ["aws.glue"], "detail-type": ["Glue Job State Change"],
                             "detail": {"state": ["FAILED", "TIMEOUT", "ERROR"], "jobName": jobs}},
            "Targets": [{"Id": "alert-topic", "Arn": ref(TOPIC)}],
        }},
        "StaleAssetsAlarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "AlarmDescription": "Assets past their freshness window (published by the freshness DAG).",
            "Namespace": namespace, "MetricName": stale_metric, "Statistic": "Maximum",
            "Period": 3600, "EvaluationPeriods": 1, "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "missing", "AlarmActions": [ref(TOPIC)],
        }},
        "AppLogGroup": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete",
                        "Properties": {"LogGroupName": iam.app_log_group(settings),
                                       "RetentionInDays": APP_LOG_RETENTION_DAYS, "KmsKeyId": get_att(KEY, "Arn")}},
    }
    for asset in job_assets(graph):
        resources[logical_id("glue_failed_tasks_alarm", asset.name)] = {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmDescription": f"Failed Spark tasks in the Glue job of {asset.name}.",
                "Namespace": "Glue", "MetricName": "glue.driver.aggregate.numFailedTasks",
                "Dimensions": [{"Name": "JobName", "Value": names.job_name(asset, settings)},
                               {"Name": "JobRunId", "Value": "ALL"}, {"Name": "Type", "Value": "count"}],
                "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching",
                "AlarmActions": [ref(TOPIC)],
            },
        }
    return Fragment(resources=resources,
                    outputs={"AlertTopicArn": output(ref(TOPIC), "Set BHNAV_SNS_TOPIC_ARN to this ARN.")})
