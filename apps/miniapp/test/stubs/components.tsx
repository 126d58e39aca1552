import type { ReactNode } from "react";

// Stand-ins for @tarojs/components: plain DOM elements with Taro's event shapes.
type Common = { id?: string; className?: string; children?: ReactNode; onClick?: () => void };

export function View({ id, className, children, onClick }: Common) {
  return <div id={id} className={className} onClick={onClick}>{children}</div>;
}

export function Text({ id, className, children }: Common & { selectable?: boolean; userSelect?: boolean }) {
  return <span id={id} className={className}>{children}</span>;
}

export function Button({ id, className, children, onClick, disabled }: Common & { disabled?: boolean }) {
  return <button id={id} className={className} onClick={onClick} disabled={disabled}>{children}</button>;
}

export function Input(props: {
  id?: string;
  className?: string;
  value?: string;
  placeholder?: string;
  maxlength?: number;
  onInput?: (e: { detail: { value: string } }) => void;
}) {
  return (
    <input
      id={props.id}
      className={props.className}
      value={props.value}
      placeholder={props.placeholder}
      maxLength={props.maxlength}
      onChange={(e) => props.onInput?.({ detail: { value: e.target.value } })}
    />
  );
}

export function Picker({ children }: { children?: ReactNode }) {
  return <span>{children}</span>;
}

export function Image({ src, className }: { src: string; className?: string }) {
  return <img src={src} className={className} />;
}

export function Textarea(p: { id?: string; value?: string; onInput?: (e: { detail: { value: string } }) => void }) {
  return <textarea id={p.id} value={p.value} onChange={(e) => p.onInput?.({ detail: { value: e.target.value } })} />;
}
