import { Module } from '@nestjs/common';

import { AlertStore } from './application/alert-store';
import { SqlAlertStore } from './infrastructure/sql-alert.store';

@Module({
  providers: [{ provide: AlertStore, useClass: SqlAlertStore }],
  exports: [AlertStore],
})
export class AlertsModule {}
