"""Hugging Face Trainer: a tiny Data2Vec-text span model (``Data2VecTextConfig``: vocabulary
36, 48 wide, 2 layers, 4 heads, built from the config, no download;
``Data2VecTextForQuestionAnswering``) marks, in a stoker's 40-minute boiler-pressure log
(one gauge reading a minute), the stretch when the safety valves were blowing off: steam
wasted, and coal with it, which the chief engineer charges to the fireman. Pressure sits near
the working pressure (195-212 psi) with the stoker's firing rhythm (a swing every 6-10 min
as fresh coal goes on) and gauge scatter, and one episode per log where the demand fell (a
winch stopped, a main valve closed) and a fire built up for full load drove it past the
valves' lifting pressure of 225 psi: a smooth rise and fall 6-18 min wide peaking 228-245
psi. The span is from the first to the last minute the underlying pressure is over 225 psi.
Each reading is one token: pressure binned in 2 psi steps from 180 to 244 psi (tokens 4-35;
0 pad, 1 start, 2 end); the answer positions count the start token.
AdamW 5e-4 with cosine decay and 30 warmup steps, weight decay 0.01, batch 24, 6 epochs of
1440 logs, eval every 60 steps (each epoch) on 360 logs (exact start, exact end, span IoU),
loss every 15 steps, checkpoint every 60 steps (``blowoff/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    Data2VecTextConfig,
    Data2VecTextForQuestionAnswering,
    Trainer,
    TrainingArguments,
)

T = 40
LIFT = 225.0


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    base = 195 + 17 * r(n, 1)
    period = 6 + 4 * r(n, 1)
    firing = 3 * torch.sin(2 * 3.1416 * t / period + 6.3 * r(n, 1))
    centre = 8 + 24 * r(n, 1)
    width = 3 + 6 * r(n, 1)
    peak = 228 + 17 * r(n, 1)
    hump = (peak - base) * torch.exp(-0.5 * ((t - centre) / (width / 1.6)) ** 2)
    true_p = base + firing + hump
    over = true_p > LIFT
    idx = torch.arange(T).expand(n, T)
    start = torch.where(over, idx, T).amin(1)
    end = torch.where(over, idx, -1).amax(1)
    read = true_p + 1.2 * torch.randn(n, T, generator=g)
    tok = 4 + ((read - 180) / 2).floor().clamp(0, 31).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok,
                     torch.full((n, 1), 2, dtype=torch.long)], 1)
    return ids, start + 1, end + 1


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, s, e):
        self.ids, self.s, self.e = ids, s, e

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 2, dtype=torch.long),
                "start_positions": self.s[i], "end_positions": self.e[i]}


def build():
    torch.manual_seed(0)
    config = Data2VecTextConfig(vocab_size=36, hidden_size=48, num_hidden_layers=2,
                                num_attention_heads=4, intermediate_size=96,
                                max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                                attention_probs_dropout_prob=0.0, pad_token_id=0,
                                bos_token_id=1, eos_token_id=2, type_vocab_size=1)
    return Data2VecTextForQuestionAnswering(config)


def metrics(pred):
    s_logit, e_logit = pred.predictions[:2]
    s_true, e_true = pred.label_ids
    s, e = s_logit.argmax(-1), e_logit.argmax(-1)
    inter = (torch.minimum(torch.tensor(e), torch.tensor(e_true))
             - torch.maximum(torch.tensor(s), torch.tensor(s_true)) + 1).clamp(min=0)
    union = (torch.maximum(torch.tensor(e), torch.tensor(e_true))
             - torch.minimum(torch.tensor(s), torch.tensor(s_true)) + 1)
    return {"start_exact": float((s == s_true).mean()), "end_exact": float((e == e_true).mean()),
            "span_iou": float((inter / union).mean())}


def main():
    from _fourhundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, str_, etr = logs(1440, g)
    iva, sva, eva = logs(360, g)
    print("span length", (etr - str_ + 1).float().mean().item())
    args = TrainingArguments(str(out / "blowoff"), num_train_epochs=6, learning_rate=5e-4,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=360,
                             logging_steps=15, eval_strategy="steps", eval_steps=60,
                             save_strategy="steps", save_steps=60, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, str_, etr),
                      eval_dataset=Logs(iva, sva, eva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "blowoff").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": torch.stack([sva[:64], eva[:64]], 1)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Data2Vec-text span model marking the safety-valve blow-off in a stoker's"
                " boiler-pressure log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
