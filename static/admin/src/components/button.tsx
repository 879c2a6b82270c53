import type { ButtonHTMLAttributes, ReactNode } from 'react';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> {
  appearance?: 'primary' | 'default' | 'subtle';
  iconBefore?: ReactNode;
  type?: 'button' | 'submit';
}

/** A button in the manner of Atlaskit's Button: native `<button>`, so keyboard and focus just work. */
export function Button({
  appearance = 'default',
  iconBefore,
  type = 'button',
  className,
  children,
  ...rest
}: ButtonProps) {
  const classes = ['fs-button', `fs-button--${appearance}`, className].filter(Boolean).join(' ');
  return (
    <button type={type} className={classes} {...rest}>
      {iconBefore ? <span className="fs-button__icon">{iconBefore}</span> : null}
      <span className="fs-button__label">{children}</span>
    </button>
  );
}
