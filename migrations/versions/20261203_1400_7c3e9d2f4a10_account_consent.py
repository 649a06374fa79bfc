"""account consent and deletion

Revision ID: 7c3e9d2f4a10
Revises: 5b1f0c7e2a91
Create Date: 2026-12-03 14:00:00

Registration records consent to the terms and privacy policy (time and document version);
a deleted account keeps its emptied row with the time of deletion. All three columns are
nullable: accounts from before have no recorded consent and are not deleted.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9d2f4a10'
down_revision = '5b1f0c7e2a91'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('terms_accepted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('terms_version', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('terms_version')
        batch_op.drop_column('terms_accepted_at')
