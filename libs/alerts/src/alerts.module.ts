import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AlertStore } from './application/alert-store';
import { AlertObservableEntity } from './infrastructure/alert-observable.entity';
import { AlertRecordEntity } from './infrastructure/alert.entity';
import { SqlAlertStore } from './infrastructure/sql-alert.store';

@Module({
  imports: [TypeOrmModule.forFeature([AlertRecordEntity, AlertObservableEntity])],
  providers: [{ provide: AlertStore, useClass: SqlAlertStore }],
  exports: [AlertStore],
})
export class AlertsModule {}
