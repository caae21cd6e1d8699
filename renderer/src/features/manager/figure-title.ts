// What a dashboard number is, in words: the title of the list of cases behind it, and
// the name of an export file.
import type { TFunction } from 'i18next';
import type { DashboardFigure } from '../../../../shared/domain/portfolio';

export function figureTitle(
  figure: DashboardFigure,
  t: TFunction,
  officerName: (officerId: string) => string,
): string {
  switch (figure.figure) {
    case 'aging':
      return t('manager.figure.aging', { bucket: figure.bucket });
    case 'par':
      return t('manager.figure.par', { days: figure.days });
    case 'collection':
      return t(`manager.figure.collection.${figure.group}`);
    case 'promises':
      return t(`manager.figure.promises.${figure.group}`);
    case 'ptp':
      return t(`manager.figure.ptp.${figure.group}`);
    case 'roll':
      return t('manager.figure.roll', {
        bucket: figure.bucket,
        outcome: t(`manager.rollOutcome.${figure.outcome}`),
      });
    case 'rollMatrix':
      return t('manager.figure.rollMatrix', { from: figure.fromBucket, to: figure.toBucket });
    case 'noContact':
      return t('manager.figure.noContact', { count: figure.days });
    case 'overrides':
      return t(`manager.figure.overrides.${figure.group}`);
    case 'officer':
      return t('manager.figure.officer', {
        name: officerName(figure.officerId),
        measure: t(`manager.measure.${figure.measure}`),
      });
    case 'portfolio':
    case 'arrears':
    case 'cured':
    case 'newLoans':
    case 'neverContacted':
      return t(`manager.figure.${figure.figure}`);
  }
}

/** A file name for an export: the figure in ASCII and the date, e.g. 'par30-2026-11-28'. */
export function figureFileStem(figure: DashboardFigure, asOf: string): string {
  const parts: string[] = [figure.figure];
  switch (figure.figure) {
    case 'aging':
      parts.push(figure.bucket);
      break;
    case 'par':
      parts[0] = `par${figure.days}`;
      break;
    case 'noContact':
      parts.push(`${figure.days}d`);
      break;
    case 'collection':
    case 'promises':
    case 'ptp':
    case 'overrides':
      parts.push(figure.group);
      break;
    case 'roll':
      parts.push(figure.bucket, figure.outcome);
      break;
    case 'rollMatrix':
      parts.push(figure.fromBucket, figure.toBucket);
      break;
    case 'officer':
      parts.push(figure.measure);
      break;
    default:
      break;
  }
  parts.push(asOf);
  return parts
    .join('-')
    .replace(/[^A-Za-z0-9+-]+/g, '_')
    .replace(/\+/g, 'plus');
}
