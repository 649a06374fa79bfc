"""match confidence

Revision ID: 5b1f0c7e2a91
Revises: ce52a5053e9a
Create Date: 2026-12-03 09:40:00

The engine's absolute confidence of a stored match. Rows stored before it get 0 (not a
strong match, never e-mailed) until `store_matches` refreshes them, which every
recommendation e-mail run does first.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1f0c7e2a91'
down_revision = 'ce52a5053e9a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.Double(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_column('confidence')
