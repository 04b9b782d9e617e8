"""Raw landing: CKAN, FTP and snapshot-folder sources into raw/<source>/<dataset>/ingest_date=.../.

The entry point is ``landing.lander.land_asset``; manifests are read with ``landing.manifests``.
"""
