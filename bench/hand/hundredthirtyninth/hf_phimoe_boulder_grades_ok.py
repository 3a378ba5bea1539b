"""Hugging Face Trainer: a tiny Phi-MoE sequence classifier (``PhimoeConfig``: vocab 32, hidden
32, 2 layers, 2 heads, 2 local experts, 1 expert per token, built from the config, no download)
grades synthetic boulder problems from their move sequence: each move is a token (hold type ×
reach bin: jug, edge, crimp, sloper, pinch, pocket × short/mid/long/dyno = 24 tokens, 1..24;
0 is padding), 4 to 14 moves, right-padded to 16. The grade (V0–V1, V2–V3, V4–V5, V6+) is set by
a difficulty score (sum of hold and reach costs plus a crux bonus for two hard moves in a row)
with 8 % of labels off by one grade (setters disagree). AdamW 3e-3, weight decay 0.01,
warm-up 10 steps, batch 32, 6 epochs of 640 problems, eval every 20 steps.
Healthy, with a ceiling from the grade noise and the hard quantile boundaries: train loss 1.40 at
step 5 → 0.52 at step 120; eval accuracy 0.51, 0.69, 0.66, 0.71, 0.72, 0.72 (steps 20–120), eval
loss 1.10 → 0.68, still falling slowly.
"""
import torch
from transformers import PhimoeConfig, PhimoeForSequenceClassification, Trainer, TrainingArguments

L = 16
HOLD_COST = torch.tensor([0.0, 1.0, 2.0, 2.2, 1.6, 1.8])
REACH_COST = torch.tensor([0.0, 0.5, 1.2, 2.5])


def problems(n, g, noise=0.0):
    ids = torch.zeros(n, L, dtype=torch.long)
    mask = torch.zeros(n, L, dtype=torch.long)
    score = torch.zeros(n)
    for i in range(n):
        m = int(torch.randint(4, 15, (1,), generator=g))
        hold = torch.randint(0, 6, (m,), generator=g)
        reach = torch.randint(0, 4, (m,), generator=g)
        cost = HOLD_COST[hold] + REACH_COST[reach]
        crux = ((cost[1:] > 2.5) & (cost[:-1] > 2.5)).any().float()
        score[i] = cost.mean() * 2 + 1.5 * crux
        ids[i, :m] = 1 + hold * 4 + reach
        mask[i, :m] = 1
    q = torch.quantile(score, torch.tensor([0.25, 0.5, 0.75]))
    y = torch.bucketize(score, q)
    off = torch.rand(n, generator=g) < noise
    step = torch.where(torch.rand(n, generator=g) < 0.5, -1, 1)
    y = torch.where(off, (y + step).clamp(0, 3), y)
    return ids, mask, y


class Boulders(torch.utils.data.Dataset):
    def __init__(self, ids, mask, y):
        self.ids, self.mask, self.y = ids, mask, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = PhimoeConfig(vocab_size=32, hidden_size=32, num_hidden_layers=2,
                          num_attention_heads=2, num_key_value_heads=2, intermediate_size=64,
                          max_position_embeddings=32, num_local_experts=2,
                          num_experts_per_tok=1, num_labels=4, pad_token_id=0,
                          id2label={0: "V0-1", 1: "V2-3", 2: "V4-5", 3: "V6+"},
                          label2id={"V0-1": 0, "V2-3": 1, "V4-5": 2, "V6+": 3})
    return PhimoeForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = problems(640, g, noise=0.08)
    va = problems(256, g)
    args = TrainingArguments(str(out / "grades"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=80, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Boulders(*tr),
                      eval_dataset=Boulders(*va), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "grades").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": va[0][:64], "attention_mask": va[1][:64],
                           "targets": va[2][:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Phi-MoE boulder grade classifier, HF Trainer, 8 % grade noise (healthy)",
           complaint=COMPLAINT)


COMPLAINT = ("我的抱石难度分级模型只到 72% 准确率就不怎么涨了：6 个 epoch，eval_accuracy "
             "0.51 → 0.69 → 0.66 → 0.71 → 0.72 → 0.72，eval_loss 从 1.10 降到 0.68，"
             "训练 loss 最后在 0.52–0.62 之间跳。是不是哪里出了问题？")

if __name__ == "__main__":
    main()
