export default definePageConfig({ navigationBarTitleText: '单位与邀请' })
