"""listing views

Revision ID: b7d41e0c9a23
Revises: 086ee6dc465f
Create Date: 2026-12-03 14:50:00

Daily page-view counts per listing (listing_view_days), counted by the view beacon the
listing pages post; no visitor data, only (listing, day, views). A new table only, so the
downgrade simply drops it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41e0c9a23'
down_revision = '086ee6dc465f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('listing_view_days',
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_view_days_listing_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id', 'day', name=op.f('pk_listing_view_days'))
    )


def downgrade():
    op.drop_table('listing_view_days')
