"""enquiries

Revision ID: 086ee6dc465f
Revises: 7c3e9d2f4a10
Create Date: 2026-12-03 14:00:00

Enquiries (询价/咨询) from enterprises to suppliers: the enquiry with its request, status
and reply/read marks, its message thread, and spam reports for moderators. New tables
only, so the downgrade simply drops them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '086ee6dc465f'
down_revision = '7c3e9d2f4a10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('enquiries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_organization_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('demand_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('budget', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', name='enquirystatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('first_reply_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('declined_at', sa.DateTime(), nullable=True),
    sa.Column('last_message_at', sa.DateTime(), nullable=False),
    sa.Column('last_side', sa.Enum('enterprise', 'supplier', name='enquiryside', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('enterprise_read_at', sa.DateTime(), nullable=True),
    sa.Column('supplier_read_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('budget IS NULL OR budget >= 0', name=op.f('ck_enquiries_enquiry_budget_positive')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_enquiries_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['demand_id'], ['demands.id'], name=op.f('fk_enquiries_demand_id_demands'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_enquiries_listing_id_listings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_enquiries_organization_id_organizations')),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_enquiries_sender_id_users')),
    sa.ForeignKeyConstraint(['sender_organization_id'], ['organizations.id'], name=op.f('fk_enquiries_sender_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enquiries'))
    )
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.create_index('ix_enquiries_organization_activity', ['organization_id', 'last_message_at'], unique=False)
        batch_op.create_index('ix_enquiries_sender_activity', ['sender_organization_id', 'last_message_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_enquiries_sender_id'), ['sender_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enquiries_status'), ['status'], unique=False)

    op.create_table('enquiry_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enquiry_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('side', sa.Enum('enterprise', 'supplier', name='enquiryside', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_enquiry_messages_author_id_users')),
    sa.ForeignKeyConstraint(['enquiry_id'], ['enquiries.id'], name=op.f('fk_enquiry_messages_enquiry_id_enquiries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enquiry_messages'))
    )
    with op.batch_alter_table('enquiry_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enquiry_messages_enquiry_id'), ['enquiry_id'], unique=False)

    op.create_table('enquiry_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enquiry_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('reported_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('upheld', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['enquiry_id'], ['enquiries.id'], name=op.f('fk_enquiry_reports_enquiry_id_enquiries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_enquiry_reports_reporter_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_enquiry_reports_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enquiry_reports')),
    sa.UniqueConstraint('enquiry_id', name='uq_enquiry_reports_enquiry')
    )
    with op.batch_alter_table('enquiry_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enquiry_reports_created_at'), ['created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('enquiry_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquiry_reports_created_at'))

    op.drop_table('enquiry_reports')
    with op.batch_alter_table('enquiry_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquiry_messages_enquiry_id'))

    op.drop_table('enquiry_messages')
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquiries_status'))
        batch_op.drop_index(batch_op.f('ix_enquiries_sender_id'))
        batch_op.drop_index('ix_enquiries_sender_activity')
        batch_op.drop_index('ix_enquiries_organization_activity')

    op.drop_table('enquiries')
