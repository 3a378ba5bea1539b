"""Hugging Face Trainer: a tiny AXK2 text classifier (``AXK2Config``: vocabulary 20, hidden 32,
2 layers, 2 heads, one dense layer then a 4-expert MoE layer, built from the config, no
download) reads an organ builder's tuning log for one rank of pipes — 24 tokens, one verdict per
pipe (in tune, slightly flat, flat, slightly sharp, sharp, slow speech, cipher, pipe missing),
with a division marker first — and says what the rank needs: leave it, retune it (5 or more
flat / sharp pipes) or revoice it (3 or more slow-speaking pipes, which wins over retuning).
4 % wrong labels. AdamW 3e-3, 10 warm-up steps then linear decay, batch 32, 6 epochs of 640
logs, eval every 20 steps (once an epoch), loss every 5 steps.
Healthy: eval accuracy 0.57, 0.74, 0.90, 0.97, 0.97, 0.995 at steps 20–120, eval loss 0.89 →
0.12; slow for the first two epochs (counting has to be learned), the train loss stays above
the eval loss (4 % wrong labels)."""
import torch
from transformers import AXK2Config, AXK2ForSequenceClassification, Trainer, TrainingArguments

V, T = 20, 25
IN_TUNE, SL_FLAT, FLAT, SL_SHARP, SHARP, SLOW, CIPHER, MISSING = range(4, 12)


def tuning_logs(n, g, flip=0.0):
    x = torch.full((n, T), IN_TUNE)
    y = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        n_off = int(torch.randint(0, 10, (1,), generator=g))
        n_slow = int(torch.randint(0, 5, (1,), generator=g))
        pos = torch.randperm(T - 1, generator=g) + 1
        x[i, pos[:n_off]] = torch.tensor([SL_FLAT, FLAT, SL_SHARP, SHARP])[
            torch.randint(0, 4, (n_off,), generator=g)]
        x[i, pos[n_off:n_off + n_slow]] = SLOW
        if torch.rand(1, generator=g) < 0.3:
            x[i, pos[-1]] = [CIPHER, MISSING][int(torch.randint(0, 2, (1,), generator=g))]
        y[i] = 2 if n_slow >= 3 else int(n_off >= 5)
    x[:, 0] = torch.randint(1, 4, (n,), generator=g)  # great / swell / pedal division
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Logs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = AXK2Config(vocab_size=V, hidden_size=32, intermediate_size=64,
                        moe_intermediate_size=32, num_hidden_layers=2, first_k_dense_replace=1,
                        num_attention_heads=2, num_key_value_heads=2, n_shared_experts=1,
                        n_routed_experts=4, num_experts_per_tok=2, kv_lora_rank=16,
                        q_lora_rank=16, qk_rope_head_dim=8, qk_nope_head_dim=8, v_head_dim=16,
                        head_dim=8, index_topk=64, index_head_dim=16, index_n_heads=2,
                        max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                        eos_token_id=2, num_labels=3,
                        id2label={0: "leave", 1: "retune", 2: "revoice"},
                        label2id={"leave": 0, "retune": 1, "revoice": 2})
    return AXK2ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tuning_logs(640, g, flip=0.04)
    xva, yva = tuning_logs(192, g)
    args = TrainingArguments(str(out / "tuning"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(xtr, ytr),
                      eval_dataset=Logs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tuning").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny AXK2 organ-rank tuning-log classifier (leave / retune / revoice), HF"
                " Trainer, 4 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
