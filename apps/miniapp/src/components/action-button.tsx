import { View } from '@tarojs/components'
import type { ReactNode } from 'react'

export interface ActionButtonProps {
  id?: string
  kind?: 'primary' | 'secondary' | 'danger'
  disabled?: boolean
  onClick: () => void
  children: ReactNode
}

/** A full-width, thumb-sized button; a View so it looks the same in WeChat and in browsers. */
export function ActionButton({ id, kind = 'primary', disabled, onClick, children }: ActionButtonProps) {
  return (
    <View
      id={id}
      className={`btn btn--${kind}${disabled ? ' btn--disabled' : ''}`}
      onClick={() => {
        if (!disabled) onClick()
      }}
    >
      {children}
    </View>
  )
}
