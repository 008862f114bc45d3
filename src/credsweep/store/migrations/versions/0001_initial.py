"""Initial schema of the fleet store (see credsweep.store.models for what each column means).

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-02 12:50:11.478049
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blob_results',
    sa.Column('blob_id', sa.String(length=64), nullable=False, comment='git object id'),
    sa.Column('digest', sa.String(length=64), nullable=False, comment='content-stage digest (Pipeline.digest)'),
    sa.Column('matches', sa.Text(), nullable=False, comment='JSON list of ContentMatch without the secret'),
    sa.PrimaryKeyConstraint('blob_id', 'digest'),
    comment='content matches by (blob id, ruleset digest): shared by re-runs and forks'
    )
    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False, comment='setting name'),
    sa.Column('value', sa.Text(), nullable=False, comment='setting value'),
    sa.PrimaryKeyConstraint('key'),
    comment='store-wide settings (salt: the per-store secret_id salt; never a secret value)'
    )
    op.create_table('repositories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False, comment='git URL without credentials, or absolute path'),
    sa.Column('name', sa.String(length=512), nullable=False,
              comment='short display name (host/owner/repo or folder name)'),
    sa.Column('tips', sa.Text(), nullable=True, comment='JSON {ref: object id} of the last successful scan'),
    sa.Column('tips_digest', sa.String(length=64), nullable=True, comment='sha256 of tips: unchanged means no scan'),
    sa.Column('ruleset_digest', sa.String(length=64), nullable=True, comment='code+rules+config digest, last scan'),
    sa.Column('status', sa.String(length=16), nullable=False, comment='pending, scanned, unchanged, failed'),
    sa.Column('reason', sa.Text(), nullable=True, comment='why the last attempt failed (one line, no secret)'),
    sa.Column('failures', sa.Integer(), nullable=False, comment='consecutive failed attempts'),
    sa.Column('last_run_id', sa.Integer(), nullable=True, comment='run of the last attempt'),
    sa.Column('scanned_at', sa.String(length=32), nullable=True, comment='ISO time of the last successful scan'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('url'),
    comment='repositories of the fleet and the state of their last scan'
    )
    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.String(length=32), nullable=False, comment='ISO time'),
    sa.Column('finished_at', sa.String(length=32), nullable=True, comment='ISO time; None while running'),
    sa.Column('status', sa.String(length=16), nullable=False, comment='running, finished, interrupted'),
    sa.Column('executor', sa.String(length=16), nullable=False, comment='local or celery'),
    sa.Column('ruleset_digest', sa.String(length=64), nullable=False, comment='code+rules+config digest'),
    sa.Column('repositories', sa.Integer(), nullable=False, comment='repositories requested'),
    sa.Column('failed', sa.Integer(), nullable=False, comment='repositories that failed'),
    sa.Column('new_count', sa.Integer(), nullable=False, comment='findings new or reopened in this run'),
    sa.Column('open_count', sa.Integer(), nullable=False, comment='findings open after this run'),
    sa.Column('resolved_count', sa.Integer(), nullable=False, comment='findings resolved after this run'),
    sa.PrimaryKeyConstraint('id'),
    comment='fleet scan runs; counts are a snapshot taken when the run finished'
    )
    op.create_table('secrets',
    sa.Column('key', sa.String(length=64), nullable=False,
              comment="secret_id (salted hash of the value) or a file finding's fingerprint"),
    sa.Column('kind', sa.String(length=32), nullable=False, comment='secret, sensitive-file, file-mode, ...'),
    sa.Column('rule', sa.String(length=128), nullable=False, comment='rule id of its first finding'),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False, comment='what it is'),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('redacted', sa.Text(), nullable=False, comment='preview that does not reveal the value'),
    sa.Column('advice', sa.Text(), nullable=False, comment='JSON advice (rotation steps, URLs, commands)'),
    sa.Column('first_run_id', sa.Integer(), nullable=False, comment='run that first found it'),
    sa.Column('mark', sa.String(length=16), nullable=True, comment='accepted or rotated (None: not marked)'),
    sa.Column('mark_reason', sa.Text(), nullable=True),
    sa.Column('marked_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('key'),
    comment='distinct secrets: salted id, redacted preview, advice and marks'
    )
    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('repository_id', sa.Integer(), nullable=False),
    sa.Column('secret_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False, comment='new, open, resolved, reopened'),
    sa.Column('status_run_id', sa.Integer(), nullable=False, comment='run that set the status'),
    sa.Column('first_run_id', sa.Integer(), nullable=False, comment='run that first found it here'),
    sa.Column('last_seen_run_id', sa.Integer(), nullable=False, comment='last run that saw it reachable'),
    sa.Column('urgency', sa.String(length=16), nullable=False, comment='critical, high, medium, low (from exposure)'),
    sa.Column('resolution', sa.String(length=32), nullable=True, comment='unreachable, rotated or accepted'),
    sa.ForeignKeyConstraint(['repository_id'], ['repositories.id'], ),
    sa.ForeignKeyConstraint(['secret_key'], ['secrets.key'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('repository_id', 'secret_key'),
    comment='one secret in one repository, with its lifecycle'
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index('ix_findings_status', ['status'], unique=False)

    op.create_table('repository_runs',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('repository_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False, comment='scanned, unchanged or failed'),
    sa.Column('reason', sa.Text(), nullable=True, comment='failure reason'),
    sa.Column('new_findings', sa.Integer(), nullable=False, comment='findings new or reopened'),
    sa.Column('blobs_read', sa.Integer(), nullable=False, comment='blobs whose content was matched'),
    sa.Column('millis', sa.Integer(), nullable=False, comment='wall time spent, milliseconds'),
    sa.Column('finished_at', sa.String(length=32), nullable=False, comment='ISO time'),
    sa.ForeignKeyConstraint(['repository_id'], ['repositories.id'], ),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ),
    sa.PrimaryKeyConstraint('run_id', 'repository_id'),
    comment="one row per (run, repository), written in the repository's transaction"
    )
    op.create_table('locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.Column('commit', sa.String(length=64), nullable=True, comment='introducing commit'),
    sa.Column('blob_id', sa.String(length=64), nullable=True),
    sa.Column('first_run_id', sa.Integer(), nullable=False, comment='run that first saw this location'),
    sa.Column('data', sa.Text(), nullable=False,
              comment='JSON of the finding as `history --format json` prints it (redacted, never the secret)'),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    comment='current locations of each finding; replaced on every scan of the repository'
    )
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.create_index('ix_locations_finding', ['finding_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index('ix_locations_finding')

    op.drop_table('locations')
    op.drop_table('repository_runs')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index('ix_findings_status')

    op.drop_table('findings')
    op.drop_table('secrets')
    op.drop_table('runs')
    op.drop_table('repositories')
    op.drop_table('meta')
    op.drop_table('blob_results')
