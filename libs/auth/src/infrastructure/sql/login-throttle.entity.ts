import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed sign-ins of one account or client address, row of `login_throttle`. */
@Entity({ name: 'login_throttle' })
export class LoginThrottleEntity {
  @PrimaryColumn({ name: 'key', type: 'text', primaryKeyConstraintName: 'login_throttle_pkey' })
  key!: string;

  @Column({ name: 'failures', type: 'integer' })
  failures!: number;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
