export default definePageConfig({ navigationBarTitleText: '协税通' })
