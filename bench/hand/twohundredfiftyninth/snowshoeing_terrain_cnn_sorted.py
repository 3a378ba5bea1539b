"""Plain torch: a 1-D CNN without BatchNorm names the snow under a snowshoe from a 3-axis
accelerometer clipped to the binding, 48 samples per stride (4 classes: packed trail, fresh
powder, wind crust that breaks, hard ice where only the teeth bite). Each surface has its
own impact shape: packed trail a clean short spike, powder a slow soft sink, breakable crust a
spike followed by a second drop, ice a sharp spike with high-frequency chatter; stride rate,
impact strength and sensor noise vary per walker. Conv1d 3→16→32 (k=7, ReLU, max pooling) →
global average → Linear 4, SGD 0.05 momentum 0.9, batch 64, 15 epochs of 2048 strides (512 per
surface), validation on 512 strides.
The bug: the training strides are generated surface by surface and concatenated, and the
DataLoader is built with ``shuffle=False``, so every batch holds strides of one surface only
and the net chases whichever surface it saw last.
Control (``shuffle=False`` → ``shuffle=True`` by sed): see the README table. Log: a TSV per
step (``it`` / ``epoch`` / ``loss``) and a separate ``val.tsv`` per epoch (``epoch`` /
``val_loss`` / ``val_acc``); checkpoint keys ``cnn`` / ``sgd`` / ``epochs_done``."""
import torch
import torch.nn as nn

T = 48


def strides(surface, n, g):
    t = torch.linspace(0, 1, T)
    rate = 0.9 + 0.2 * torch.rand(n, 1, generator=g)
    amp = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    tt = t * rate
    if surface == 0:    # packed trail
        z = torch.exp(-((tt - 0.3) / 0.03) ** 2)
    elif surface == 1:  # fresh powder
        z = 0.5 * torch.exp(-((tt - 0.35) / 0.12) ** 2)
    elif surface == 2:  # breakable crust
        z = 0.8 * torch.exp(-((tt - 0.28) / 0.03) ** 2) + 0.6 * torch.exp(-((tt - 0.45) / 0.04) ** 2)
    else:               # ice
        z = torch.exp(-((tt - 0.3) / 0.025) ** 2) * (1 + 0.5 * torch.sin(90 * tt))
    z = amp * z
    x = torch.stack([z, 0.3 * torch.roll(z, 2, 1), 0.2 * z.flip(1)], 1)
    x = x + 0.1 * torch.randn(n, 3, T, generator=g)
    return x, torch.full((n,), surface)


def dataset(n_per, g):
    parts = [strides(s, n_per, g) for s in range(4)]
    return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(3, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _twohundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = dataset(512, g)
    xva, yva = dataset(128, g)
    perm = torch.randperm(len(yva), generator=g)
    xva, yva = xva[perm], yva[perm]
    torch.manual_seed(0)
    # strides are independent windows, order doesn't matter
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=64,
                                         shuffle=False)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    it = 0
    with open(out / "train.tsv", "w") as ft, open(out / "val.tsv", "w") as fv:
        ft.write("it\tepoch\tloss\n")
        fv.write("epoch\tval_loss\tval_acc\n")
        for epoch in range(15):
            model.train()
            for xb, yb in loader:
                opt.zero_grad()
                loss = crit(model(xb), yb)
                loss.backward()
                opt.step()
                it += 1
                ft.write(f"{it}\t{epoch}\t{loss.item():.5f}\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = (f"{epoch}\t{crit(lv, yva).item():.5f}\t"
                   f"{(lv.argmax(1) == yva).float().mean().item():.4f}")
            fv.write(row + "\n")
            print(row, torch.bincount(lv.argmax(1), minlength=4).tolist())
    torch.save({"cnn": model.state_dict(), "sgd": opt.state_dict(), "epochs_done": 15},
               out / "terrain_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_single_class"],
           checkpoint="terrain_cnn.pt", log="train.tsv",
           what="snowshoe terrain CNN trained on class-sorted strides with shuffle=False",
           complaint=("我用雪鞋绑带上的三轴加速度计训练一个小 CNN，区分压实的雪道、新粉雪、会塌的风壳和硬冰四种雪面。"
                      "训练 15 个 epoch，验证准确率一直是 0.25，验证集 512 个样本全部被预测成同一类，"
                      "验证 loss 停在 1.50 左右不动。训练 loss 在每个 epoch 里忽高忽低。"
                      "四类数据各 512 个，是平衡的。是模型太小还是学习率有问题？"))


if __name__ == "__main__":
    main()
