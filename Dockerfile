# The app image: the Streamlit Navigator on 8501, reading the lake through Athena.
# Configured by environment only (BHNAV_ENV, AWS_REGION, S3_BUCKET, ATHENA_WORKGROUP); it holds
# no credentials: on AWS they come from the instance profile or the ECS task role.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# 1. Wheels: the project and its app, aws and query extras, built once.
FROM ${PYTHON_IMAGE} AS wheels
WORKDIR /src
COPY pyproject.toml README.md ./
COPY assets ./assets
COPY lake ./lake
COPY landing ./landing
COPY spark ./spark
COPY catalog ./catalog
COPY runs ./runs
COPY airflow_dags ./airflow_dags
COPY app ./app
COPY infra ./infra
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[app,aws,query]" \
    && echo "$(find /wheels -name 'bhnav-*.whl')[app,aws,query]" > /wheels/requirements.txt

# 2. Runtime: the wheels installed offline, a non-root user, nothing else.
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BHNAV_ENV=aws \
    AWS_REGION=sa-east-1 \
    S3_BUCKET="" \
    ATHENA_WORKGROUP=bhnav \
    BHNAV_LAKE_DIR=/data/lake \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
RUN groupadd --system --gid 10001 bhnav \
    && useradd --system --uid 10001 --gid bhnav --create-home --home-dir /home/bhnav bhnav \
    && mkdir -p /data \
    && chown bhnav:bhnav /data
COPY --from=wheels /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels --requirement /wheels/requirements.txt \
    && rm -rf /wheels
USER 10001:10001
WORKDIR /home/bhnav
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4).status != 200)"]
# Every interface of the container, explicitly: the app then asks for a login, and refuses to start
# without one (a login secret in Secrets Manager, or Streamlit's [auth]; see the README).
CMD ["bhnav", "app", "--port", "8501", "--address", "0.0.0.0"]
