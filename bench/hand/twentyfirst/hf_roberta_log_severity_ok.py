"""Hugging Face Trainer, regression: a tiny RoBERTa (``RobertaConfig``: 2 layers, hidden 64,
4 heads, built from the config, no download) reads a 24-token log excerpt and predicts its
severity score, the number of error tokens in it (0-6; error tokens are 5 of the 60 word ids)
plus 0.2 per warning token. ``num_labels=1``, ``problem_type="regression"`` (MSE), AdamW 1e-3,
warm-up 20 steps then linear decay, batch 32, 4 epochs over 2400 excerpts, eval every 25
steps with an MAE metric.

Healthy: eval loss 8.3 (step 25, the warm-up) -> 3.9 -> 0.09-0.14 over the last 50 of 300
steps (0.108 at the end), eval MAE 0.27 on targets 0-6.6; the train loss logged every 5 steps
is noisy, 0.17-0.25 at the end."""
import torch
from transformers import RobertaConfig, RobertaForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN = 64, 24
ERR = torch.arange(10, 15)
WARN = torch.arange(15, 20)


def excerpts(n, g):
    ids = torch.randint(20, VOCAB, (n, LEN), generator=g)
    k = torch.randint(0, 7, (n,), generator=g)
    m = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        pos = torch.randperm(LEN - 1, generator=g)[:int(k[i]) + int(m[i])] + 1
        ids[i, pos[:k[i]]] = ERR[torch.randint(0, 5, (int(k[i]),), generator=g)]
        ids[i, pos[k[i]:]] = WARN[torch.randint(0, 5, (int(m[i]),), generator=g)]
    ids[:, 0] = 0  # <s>
    return ids, (k + 0.2 * m).float()


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = ids, y

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = RobertaConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=128,
                           max_position_embeddings=LEN + 4, num_labels=1,
                           problem_type="regression", pad_token_id=1)
    return RobertaForSequenceClassification(config)


def mae(pred):
    return {"mae": float(abs(pred.predictions.reshape(-1) - pred.label_ids).mean())}


def main():
    from _twentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, y = excerpts(2800, g)
    args = TrainingArguments(str(out / "severity"), num_train_epochs=4, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(ids[:2400], y[:2400]),
                      eval_dataset=Logs(ids[2400:], y[2400:]), compute_metrics=mae)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "severity").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (ids[2400:2464], y[2400:2464]), causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RoBERTa log-severity regression, HF Trainer, AdamW + warm-up/linear "
                "(healthy)")


if __name__ == "__main__":
    main()
