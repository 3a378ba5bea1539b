"""Plain torch: a GRU predicts the average pace (km/h) of a reindeer sled team over the next
kilometre from the last 40 GPS/harness readings (speed, slope, snow depth, rein tension, team
size ...; 6 channels). The target is a smooth function of the recent speed trend, slope and
snow depth. GRU(6, 48) + Linear 48-1, SGD with momentum 0.9, batch 32, 12 epochs of 768
sequences, MSE on the standardised pace. Log: TSV per epoch (``ep  loss  val_mse``);
checkpoint keys ``model_state_dict``/``optimizer_state_dict``/``epoch``.
The bug: the learning rate was raised from 0.05 to 5.0 ("it was too slow"), without gradient
clipping; through the recurrence the updates blow up and the loss leaves for inf/nan.
Bug: train loss and val MSE are nan from epoch 1 to 12 (the weights in the checkpoint are nan).
Control (``LR = 0.05``): train loss 0.1319 → 0.0216, val MSE 0.0562 → 0.0233."""
import torch
import torch.nn as nn

LR = 5.0


def teams(n, g):
    x = torch.randn(n, 40, 6, generator=g)
    x[:, :, 0] = torch.cumsum(0.3 * x[:, :, 0], 1) / 4  # speed drifts
    y = (x[:, -10:, 0].mean(1) - 0.6 * x[:, -5:, 1].mean(1) - 0.4 * torch.tanh(x[:, -8:, 2].mean(1))
         + 0.1 * torch.randn(n, generator=g))
    return x, y[:, None]


class Pace(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(6, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h[:, -1])


def build():
    torch.manual_seed(0)
    return Pace()


def main():
    from _twohundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = teams(768, g)
    xva, yva = teams(192, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    with open(out / "train_log.tsv", "w") as f:
        f.write("ep\tloss\tval_mse\n")
        for ep in range(1, 13):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                vm = nn.functional.mse_loss(model(xva), yva).item()
            f.write(f"{ep}\t{tot / 768:.4f}\t{vm:.4f}\n")
            print(ep, round(tot / 768, 4), round(vm, 4))
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12}, out / "pace_gru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="pace_gru.pth", log="train_log.tsv",
           what="reindeer-sled pace GRU trained with SGD lr 5.0, no clipping",
           complaint=COMPLAINT)


COMPLAINT = '驯鹿雪橇配速预测的 GRU（输入 40 个时间步、6 个通道的 GPS/挽具数据，输出下一公里的平均配速）完全训练不了：第 1 个 epoch 开始 loss 和 val_mse 就都是 nan，12 个 epoch 一直都是 nan，保存下来的模型也没法用。输入数据我检查过，没有 nan 也没有 inf，标签也做了标准化。是哪里出了问题？'

if __name__ == "__main__":
    main()
