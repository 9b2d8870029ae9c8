import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AlertReader } from './application/alert-reader';
import { AlertStore } from './application/alert-store';
import { AlertObservableEntity } from './infrastructure/alert-observable.entity';
import { AlertRecordEntity } from './infrastructure/alert.entity';
import { AlertsController } from './infrastructure/http/alerts.controller';
import { SqlAlertReader } from './infrastructure/sql-alert.reader';
import { SqlAlertStore } from './infrastructure/sql-alert.store';

@Module({
  imports: [TypeOrmModule.forFeature([AlertRecordEntity, AlertObservableEntity])],
  providers: [{ provide: AlertStore, useClass: SqlAlertStore }],
  exports: [AlertStore],
})
export class AlertsModule {}

/** The alerts API (search, one alert, OCSF): registered by the api role only. */
@Module({
  imports: [AlertsModule],
  controllers: [AlertsController],
  providers: [{ provide: AlertReader, useClass: SqlAlertReader }],
})
export class AlertsHttpModule {}
