nn.Conv2d(in_channels=1, out_channels=1, kernel_size=3, padding='valid')  # comment
