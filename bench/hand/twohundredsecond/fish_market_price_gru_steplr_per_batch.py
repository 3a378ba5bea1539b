"""Plain torch: a GRU forecasts tomorrow's hammer price of bluefin at a fish market's morning
auction from the last 21 market days (per day: log price, landed tonnes, wind speed at the
fishing grounds, weekday). Prices follow supply (fewer tonnes → higher price, with a one-day
lag), a weekly pattern (Friday demand) and a slow mean-reverting trend; tomorrow's landings are
predictable from today's wind. Target and inputs are standardised.
GRU(4→32, 1 layer), Linear(32→1) on the last step, MSE; Adam 5e-3, batch 32, 15 epochs of
1536 windows, ``StepLR(step_size=4, gamma=0.5)`` meant as "halve every 4 epochs".
Checkpoint ``state_dict`` / ``optimizer`` / ``scheduler`` / ``epoch``, log ``auction_gru.jsonl``
(a line every 12 steps with step, lr and loss; a line per epoch with the validation MSE).
The bug: ``sched.step()`` is inside the batch loop (48 batches an epoch), so
the lr halves every 4 batches: 6.3e-4 at step 12, 1.2e-6 at the end of epoch 1, 3e-57 at epoch
15. Val MSE (standardised) 0.4134 after epoch 1 and 0.4133 from epoch 2 to 15; the logged
train MSE wanders between 0.24 and 0.61 the whole run. Control (``sched.step()`` once per
epoch): val MSE 0.230 after epoch 1, 0.097 at epoch 5, 0.089 at epoch 15."""
import json

import torch
import torch.nn as nn

T = 21


def market(n, g):
    days = T + 1 + 40
    wind = (torch.randn(n, days, generator=g).cumsum(1) * 0.3).tanh() * 8 + 10 \
        + 3 * torch.randn(n, days, generator=g)
    tonnes = (14 - 0.6 * wind.roll(1, 1)).clamp(min=1) * (1 + 0.1 * torch.randn(n, days,
                                                                                  generator=g))
    wd = (torch.arange(days)[None] + torch.randint(0, 7, (n, 1), generator=g)) % 7
    trend = torch.zeros(n, days)
    for t in range(1, days):
        trend[:, t] = 0.9 * trend[:, t - 1] + 0.05 * torch.randn(n, generator=g)
    lp = 3.5 + trend - 0.05 * tonnes.roll(1, 1) + 0.15 * (wd == 4) \
        + 0.04 * torch.randn(n, days, generator=g)
    x = torch.stack([lp, tonnes, wind, (wd == 4).float()], 2)[:, 40:40 + T]
    y = lp[:, 40 + T]
    return x, y


def build():
    torch.manual_seed(0)
    return Forecaster()


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h[:, -1]).squeeze(1)


def main():
    from _twohundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = market(1536 + 256, g)
    mu, sd = x[:1536].mean((0, 1)), x[:1536].std((0, 1))
    ym, ys = y[:1536].mean(), y[:1536].std()
    x, y = (x - mu) / sd, (y - ym) / ys
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
    log = open(out / "auction_gru.jsonl", "w")
    step = 0
    for epoch in range(15):
        model.train()
        for xb, yb in train:
            loss = nn.functional.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 12 == 0:
                log.write(json.dumps({"step": step, "lr": opt.param_groups[0]["lr"],
                                      "train_mse": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            vm = nn.functional.mse_loss(model(xva), yva).item()
        log.write(json.dumps({"epoch": epoch + 1, "step": step, "val_mse": round(vm, 4)}) + "\n")
        print(epoch + 1, round(loss.item(), 4), round(vm, 4), opt.param_groups[0]["lr"])
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 15}, out / "bluefin_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="bluefin_gru.pt", log="auction_gru.jsonl",
           what="GRU fish-auction price forecaster: StepLR(4 epochs, 0.5) stepped every batch",
           complaint=("金枪鱼拍卖价格预测的GRU，验证MSE（标准化后的）第1个epoch是0.4134，"
                      "之后14个epoch一直是0.4133，一点都不动，训练MSE在0.24到0.61之间来回跳。"
                      "Adam学习率5e-3，每4个epoch减半，按理说不应该这么早就收敛。是模型太小了吗？"))


if __name__ == "__main__":
    main()
