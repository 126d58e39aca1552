import { Text, View } from '@tarojs/components'
import { ActionButton } from './action-button'

/** An empty list that offers its first action (我的报送 empty → 去报送), never a dead end. */
export function EmptyState({ text, action, onAction }: { text: string; action?: string; onAction?: () => void }) {
  return (
    <View className='empty-state' id='empty-state'>
      <Text className='empty'>{text}</Text>
      {action && onAction ? (
        <ActionButton id='empty-action' kind='secondary' onClick={onAction}>{action}</ActionButton>
      ) : null}
    </View>
  )
}
