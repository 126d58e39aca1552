export default definePageConfig({ navigationBarTitleText: '修订历史' })
