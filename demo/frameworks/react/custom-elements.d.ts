/** <passwordless-login> in React's JSX: its properties and its events as React 19 binds them. */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { MessageOverrides, PasswordlessEventMap, PasswordlessLogin } from '../../../widget/module.ts';

type EventProps = {
  [K in keyof PasswordlessEventMap as `on${K}`]?: (event: PasswordlessEventMap[K]) => void;
};

type PasswordlessLoginProps = DetailedHTMLProps<HTMLAttributes<PasswordlessLogin>, PasswordlessLogin> &
  EventProps & {
    api?: string;
    email?: string;
    theme?: 'auto' | 'light' | 'dark';
    'redirect-to'?: string;
    strings?: MessageOverrides | null;
  };

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'passwordless-login': PasswordlessLoginProps;
    }
  }
}
