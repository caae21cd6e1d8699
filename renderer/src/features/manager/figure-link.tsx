// A number on a manager's screen that opens the list of cases behind it. It is a real
// link (its address is the list's), so it reads as one to a screen reader and shows
// where it goes on hover; the click pushes a history entry so back returns here.
import type { MouseEvent, ReactNode } from 'react';
import type { DashboardFigure } from '../../../../shared/domain/portfolio';
import { openRoute, routeHash, type ManagerScope, type Route } from '../../app/router';
import { encodeFigure } from './figure-param';

export interface FigureLinkProps {
  figure: DashboardFigure;
  scope: ManagerScope;
  children: ReactNode;
  /** What the list will show, for the hover title. */
  title?: string;
  className?: string;
  testId?: string;
}

export function FigureLink({ figure, scope, children, title, className, testId }: FigureLinkProps) {
  const route: Route = { screen: 'cases', figure, ...scope };
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    openRoute(route);
  };
  return (
    <a
      href={routeHash(route)}
      className={`fb-fig-link${className ? ` ${className}` : ''}`}
      data-testid={testId}
      data-figure={encodeFigure(figure)}
      title={title}
      onClick={onClick}
    >
      {children}
    </a>
  );
}
