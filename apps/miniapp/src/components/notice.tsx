import { Text, View } from '@tarojs/components'

/** A message above a form: errors in red, information in blue. */
export function Notice({ id, kind = 'error', text }: { id?: string; kind?: 'error' | 'info'; text: string | null }) {
  if (!text) return null
  return (
    <View id={id} className={`notice notice--${kind}`}>
      <Text>{text}</Text>
    </View>
  )
}
