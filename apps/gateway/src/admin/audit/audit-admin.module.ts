import { Module } from '@nestjs/common';
import { AuditAdminController } from './audit-admin.controller';
import { AuditAdminService } from './audit-admin.service';

/** /admin/audit/*: the audit log (repositories from the global StorageModule). */
@Module({ controllers: [AuditAdminController], providers: [AuditAdminService] })
export class AuditAdminModule {}
