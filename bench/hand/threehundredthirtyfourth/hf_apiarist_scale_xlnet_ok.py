"""Hugging Face Trainer: a tiny XLNet token tagger (``XLNetConfig``: vocabulary 36, 48 wide,
2 layers, 4 heads, built from the config, no download; ``XLNetForTokenClassification``)
reads an apiarist's hive scale and tags every hour of a 3-day log with what the colony was
doing: 0 resting (night, or a day with no flow), 1 foragers leaving (the morning drop as
the field bees fly out), 2 nectar coming in (the weight rising through the day), 3 a swarm
leaving (a drop of 1.2-2.5 kg within the hour). Each log starts at a random hour. Nights lose
10-25 g/h (stores eaten, water evaporated from the nectar); a flow day's foragers leave
between 7 and 10 h (-60 to -240 g/h) and bring in +40 to +350 g/h from 11 to 18 h, scaled
by the day's flow; a rainy day (20 %) stays at rest; a swarm leaves in a late morning of
about one log in six. Token: the hourly weight change binned into 30 steps of 25 g from
-375 g to +375 g (tokens 4-33), everything below -375 g in token 34; 0 pad, 1 start.
AdamW 2e-3 with a cosine schedule and 30 warmup steps, weight decay 0.01, batch 24, 5 epochs
of 720 logs, eval each epoch (every 30 steps) on 180 logs (hour accuracy and recall of the
swarm hour), loss every 10 steps, checkpoint each epoch (``hivescale/checkpoint-N/`` with
``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, XLNetConfig, XLNetForTokenClassification

HOURS = 72


def hive_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ids, labels = [], []
    for _ in range(n):
        start = int(24 * r(1).item())
        hour = (start + torch.arange(HOURS)) % 24
        day = (start + torch.arange(HOURS)) // 24
        flow = r(4)
        rain = r(4) < 0.2
        dw = -(10 + 15 * r(HOURS))
        lab = torch.zeros(HOURS, dtype=torch.long)
        for i in range(HOURS):
            d, h = int(day[i]), int(hour[i])
            if rain[d]:
                continue
            if 7 <= h < 10:
                dw[i] = -(60 + 160 * flow[d] * r(1).item() + 20 * r(1).item())
                lab[i] = 1
            elif 11 <= h < 19 and flow[d] > 0.15:
                dw[i] = 40 + 310 * flow[d] * (0.5 + 0.5 * r(1).item())
                lab[i] = 2
        if r(1).item() < 0.17:
            cand = [i for i in range(HOURS) if 10 <= int(hour[i]) <= 13 and not rain[int(day[i])]]
            if cand:
                k = cand[int(len(cand) * r(1).item())]
                dw[k] = -(1200 + 1300 * r(1).item())
                lab[k] = 3
        dw = dw + 15 * torch.randn(HOURS, generator=g)
        tok = torch.where(dw < -375, torch.tensor(34),
                          4 + ((dw + 375) / 25).floor().clamp(0, 29).long())
        ids.append(torch.cat([torch.tensor([1]), tok]))
        labels.append(torch.cat([torch.tensor([-100]), lab]))
    return torch.stack(ids), torch.stack(labels)


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(HOURS + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XLNetConfig(vocab_size=36, d_model=48, n_layer=2, n_head=4, d_inner=96,
                         dropout=0.0, num_labels=4, pad_token_id=0, bos_token_id=1,
                         eos_token_id=2, mem_len=None)
    return XLNetForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    sw = y == 3
    return {"hour_acc": float((p[m] == y[m]).mean()),
            "swarm_recall": float((p[sw] == 3).mean()) if sw.any() else 0.0}


def main():
    from _threehundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = hive_logs(720, g)
    iva, lva = hive_logs(180, g)
    print("labels", torch.bincount(ltr[ltr >= 0]).tolist())
    args = TrainingArguments(str(out / "hivescale"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=180,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, ltr),
                      eval_dataset=Logs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "hivescale").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny XLNet token tagger marking each hour of a hive-scale log as rest /"
                " foragers leaving / nectar coming in / swarm, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
