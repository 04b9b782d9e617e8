"""In AWS, the freshness alert reaches the SNS topic (through the Amazon provider's SnsNotifier) and
the stale count becomes a CloudWatch metric; against moto's server, from a fresh process (Airflow
is imported there, never in the test process)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from tests.fixtures.airflow import REPO, airflow_environment
from tests.fixtures.moto import REGION

PUBLISH = (
    "from airflow_dags.alerts import publish; "
    "publish('bhnav: 2 stale assets', 'Stale: acidentes (3.0d late), iqvu (1.0d late)', {}, stale_count=2)"
)


def test_a_freshness_alert_goes_to_sns_and_the_stale_count_to_cloudwatch(aws_env, tmp_path):
    import boto3

    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    topic = sns.create_topic(Name="bhnav-alerts")["TopicArn"]
    queue = sqs.create_queue(QueueName="alert-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)

    (tmp_path / "airflow").mkdir()
    env = airflow_environment(tmp_path / "airflow", BHNAV_SNS_TOPIC_ARN=topic)  # with aws_env's AWS_* and BHNAV_*
    done = subprocess.run([sys.executable, "-c", PUBLISH], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ALERT bhnav: 2 stale assets" in done.stdout + done.stderr, "the alert is logged too"

    messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1, MaxNumberOfMessages=10).get("Messages", [])
    bodies = [json.loads(m["Body"]) for m in messages]
    assert [(b["Subject"], b["Message"]) for b in bodies] == [
        ("bhnav: 2 stale assets", "Stale: acidentes (3.0d late), iqvu (1.0d late)")]

    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    now = datetime.now(timezone.utc)
    stats = cloudwatch.get_metric_statistics(Namespace="bhnav", MetricName="StaleAssets", StartTime=now - timedelta(hours=1),
                                             EndTime=now + timedelta(minutes=5), Period=60, Statistics=["Maximum"])
    assert [p["Maximum"] for p in stats["Datapoints"]] == [2.0]
